import { randomBytes } from 'node:crypto';
import type { Queryable } from '../pool.ts';

/** The named secret, generated on first use; every process gets the same value. */
export async function ensureSecret(db: Queryable, name: string): Promise<string> {
  await db.query('INSERT INTO secrets (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING', [
    name,
    randomBytes(32).toString('base64url'),
  ]);
  const { rows } = await db.query<{ value: string }>('SELECT value FROM secrets WHERE name = $1', [name]);
  return rows[0]!.value;
}
