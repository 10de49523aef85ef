import t from 'tap';
import { ensureFirstAdmin } from '../../../src/auth/bootstrap.ts';
import { verifyPassword } from '../../../src/auth/password.ts';
import { loadConfig } from '../../../src/config.ts';
import { createLogger } from '../../../src/logger.ts';
import { testDatabase } from '../../support/db.ts';
import { Writable } from 'node:stream';

function capture() {
  const lines: Array<Record<string, unknown>> = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, cb) {
      for (const l of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(l) as Record<string, unknown>);
      cb();
    },
  });
  return { lines, logger: createLogger('info', stream) };
}

t.test('first start with an empty database creates the admin from ADMIN_EMAIL and ADMIN_PASSWORD', async (t) => {
  const db = await testDatabase(t);
  const { logger, lines } = capture();
  const config = loadConfig({ ADMIN_EMAIL: 'owner@example.com', ADMIN_PASSWORD: 'a very long password' });
  const r = await ensureFirstAdmin(db.pool, config, logger);
  t.same(r, { created: true });
  const { rows } = await db.pool.query('SELECT email, access_level, sales_role, password_hash FROM employees');
  t.equal(rows.length, 1);
  t.equal(rows[0].email, 'owner@example.com');
  t.equal(rows[0].access_level, 'admin');
  t.equal(rows[0].sales_role, 'quality_control', 'never rung');
  t.ok(await verifyPassword('a very long password', rows[0].password_hash));
  t.notOk(JSON.stringify(lines).includes('a very long password'), 'the given password is never logged');
  t.same(await ensureFirstAdmin(db.pool, config, logger), { created: false }, 'second start creates nothing');
});

t.test('without ADMIN_PASSWORD a one-time password is logged exactly once, and works', async (t) => {
  const db = await testDatabase(t);
  const { logger, lines } = capture();
  const config = loadConfig({});
  const r = await ensureFirstAdmin(db.pool, config, logger);
  t.ok(r.oneTimePassword);
  const mentions = lines.filter((l) => l.oneTimePassword === r.oneTimePassword);
  t.equal(mentions.length, 1, 'logged once');
  const { rows } = await db.pool.query('SELECT password_hash FROM employees WHERE email = $1', ['admin@ringpath.local']);
  t.ok(await verifyPassword(r.oneTimePassword!, rows[0].password_hash));
  await ensureFirstAdmin(db.pool, config, logger);
  t.equal(lines.filter((l) => 'oneTimePassword' in l).length, 1, 'not printed again on later starts');
});

t.test('three first-admin checks at once on one database (three pool connections) create one admin', async (t) => {
  const db = await testDatabase(t);
  const { logger } = capture();
  const config = loadConfig({ ADMIN_PASSWORD: 'a very long password' });
  const results = await Promise.all([1, 2, 3].map(() => ensureFirstAdmin(db.pool, config, logger)));
  t.equal(results.filter((r) => r.created).length, 1);
  const { rows } = await db.pool.query(`SELECT count(*)::int AS n FROM employees WHERE access_level = 'admin'`);
  t.equal(rows[0].n, 1);
});
