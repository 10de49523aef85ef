// `ringpath serve` as a process: embedded PostgreSQL, health, clean shutdown,
// start-up errors. One data directory goes through a whole life: first start,
// SIGINT, a restart on the same data, kill -9, and the start that takes over.
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import t from 'tap';
import { freePort } from '../../../src/util/net.ts';
import { databaseUrl } from '../../support/db.ts';
import { runRingpath, startRingpath, waitFor } from '../../support/process.ts';

function postgresProcessesFor(dir: string): string[] {
  try {
    return execFileSync('pgrep', ['-af', `postgres -D ${dir}`], { encoding: 'utf8' }).split('\n').filter(Boolean);
  } catch {
    return []; // pgrep exits 1 when nothing matches
  }
}

async function healthy(port: number): Promise<boolean> {
  const res = await fetch(`http://127.0.0.1:${port}/healthz`);
  return res.status === 200;
}

t.test('serve on an embedded PostgreSQL, from first start to a kill -9 and the start after it', async (t) => {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'ringpath-serve-'));
  t.teardown(() => rm(dataDir, { recursive: true, force: true }));
  const postgresDir = path.join(dataDir, 'postgres');
  const port = await freePort();
  const env = { PORT: String(port), DATA_DIR: dataDir };

  await t.test('with no DATABASE_URL it runs on an embedded PostgreSQL, and SIGINT leaves no postgres behind', async (t) => {
    const run = startRingpath(['serve'], env);
    t.teardown(() => void run.child.kill('SIGKILL'));
    await waitFor(() => healthy(port), 60_000, '/healthz');
    t.ok(postgresProcessesFor(postgresDir).length > 0, 'embedded postgres running');
    const ready = await fetch(`http://127.0.0.1:${port}/readyz`);
    t.equal(ready.status, 200);
    t.match(run.output(), /oneTimePassword/, 'the first admin one-time password is printed on first start');

    run.child.kill('SIGINT');
    t.same(await run.exited, { code: 0, signal: null }, 'a clean exit (within the shutdown grace period)');
    t.same(postgresProcessesFor(postgresDir), [], 'no postgres process left');
  });

  await t.test('a restart reuses the data directory: same database, no second admin password; kill -9 orphans its postgres', async (t) => {
    const again = startRingpath(['serve'], env);
    t.teardown(() => void again.child.kill('SIGKILL'));
    await waitFor(() => healthy(port), 60_000, '/healthz after restart');
    t.notMatch(again.output(), /oneTimePassword/, 'no new admin on restart');
    again.child.kill('SIGKILL');
    await again.exited;
    t.ok(postgresProcessesFor(postgresDir).length > 0, 'postgres survived its parent');
  });

  await t.test('after kill -9 the next start takes over the orphaned embedded PostgreSQL and keeps the data', async (t) => {
    const next = startRingpath(['serve'], env);
    t.teardown(() => void next.child.kill('SIGKILL'));
    await waitFor(() => healthy(port), 60_000, '/healthz after kill -9');
    t.match(next.output(), /orphaned embedded PostgreSQL/, 'the takeover is logged');
    const ready = await fetch(`http://127.0.0.1:${port}/readyz`);
    t.equal(ready.status, 200, 'database ready again');
    t.notMatch(next.output(), /oneTimePassword/, 'the admin of the first start is still there: no new one');
    next.child.kill('SIGTERM');
    t.same(await next.exited, { code: 0, signal: null }, 'a clean exit on SIGTERM');
    t.same(postgresProcessesFor(postgresDir), [], 'no postgres process left after SIGTERM');
  });
});

t.test('an invalid setting stops the process with one line naming the variable', async (t) => {
  const [port, country] = await Promise.all([runRingpath(['serve'], { PORT: 'abc' }), runRingpath(['serve'], { DEFAULT_COUNTRY: 'Narnia' })]);
  t.not(port.code, 0);
  t.match(port.output, /PORT must be an integer from 1 to 65535 \(got "abc"\)/);
  t.equal(port.output.trim().split('\n').length, 1, 'one line');
  t.not(country.code, 0);
  t.match(country.output, /DEFAULT_COUNTRY/);
});

t.test('serve on an external DATABASE_URL migrates it and answers', async (t) => {
  const { testDatabase } = await import('../../support/db.ts');
  const db = await testDatabase(t, { empty: true });
  const port = await freePort();
  const run = startRingpath(['serve'], { PORT: String(port), DATABASE_URL: databaseUrl(db.name), ADMIN_PASSWORD: 'a-long-admin-password' });
  t.teardown(() => void run.child.kill('SIGKILL'));
  await waitFor(() => healthy(port), 60_000, '/healthz');
  const { rows } = await db.pool.query(`SELECT email FROM employees WHERE access_level = 'admin'`);
  t.same(rows, [{ email: 'admin@ringpath.local' }]);
  run.child.kill('SIGTERM');
  const { code } = await run.exited;
  t.equal(code, 0, 'clean exit');
});
