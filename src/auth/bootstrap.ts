// The first console admin, created on first start with an empty database.
import type { Config } from '../config.ts';
import type { Pool } from '../db/pool.ts';
import type { Logger } from '../logger.ts';
import { generatePassword, hashPassword } from './password.ts';

/**
 * Creates the admin when no employee can log in yet. Returns the one-time
 * password when one was generated (it is also logged once). The admin is a
 * quality-control employee: it sees everything and is never rung.
 */
export async function ensureFirstAdmin(pool: Pool, config: Config, logger: Logger): Promise<{ created: boolean; oneTimePassword?: string }> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    // Serialise concurrent first starts of several processes.
    await client.query(`SELECT pg_advisory_xact_lock(hashtext('ringpath:first-admin'))`);
    const { rows } = await client.query(`SELECT 1 FROM employees WHERE access_level = 'admin' AND password_hash IS NOT NULL LIMIT 1`);
    if (rows.length > 0) {
      await client.query('COMMIT');
      return { created: false };
    }
    const oneTime = config.adminPassword === undefined ? generatePassword() : undefined;
    const hash = await hashPassword(config.adminPassword ?? oneTime!);
    await client.query(
      // the first login must change the password (the console allows nothing else until then)
      `INSERT INTO employees (email, full_name, access_level, sales_role, password_hash, must_change_password)
       VALUES ($1, 'Administrator', 'admin', 'quality_control', $2, true)
       ON CONFLICT (lower(email)) DO UPDATE SET access_level = 'admin', password_hash = EXCLUDED.password_hash, must_change_password = true`,
      [config.adminEmail, hash],
    );
    await client.query('COMMIT');
    if (oneTime) {
      logger.warn(
        { email: config.adminEmail, oneTimePassword: oneTime },
        'created the first admin with a one-time password; it is shown only this once; the console asks for a new one at the first login',
      );
    } else {
      logger.info({ email: config.adminEmail }, 'created the first admin from ADMIN_EMAIL and ADMIN_PASSWORD');
    }
    return oneTime ? { created: true, oneTimePassword: oneTime } : { created: true };
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
}
