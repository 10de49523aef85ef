// `ringpath serve` as a process: embedded PostgreSQL, health, clean shutdown.
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

t.test('with no DATABASE_URL it runs on an embedded PostgreSQL, and SIGINT leaves no postgres behind', async (t) => {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'ringpath-serve-'));
  t.teardown(() => rm(dataDir, { recursive: true, force: true }));
  const port = await freePort();
  const run = startRingpath(['serve'], { PORT: String(port), DATA_DIR: dataDir });
  t.teardown(() => void run.child.kill('SIGKILL'));
  const ms = await waitFor(() => healthy(port), 60_000, '/healthz');
  t.pass(`healthy after ${ms} ms`);
  t.equal(postgresProcessesFor(path.join(dataDir, 'postgres')).length > 0, true, 'embedded postgres running');
  const ready = await fetch(`http://127.0.0.1:${port}/readyz`);
  t.equal(ready.status, 200);
  t.match(run.output(), /oneTimePassword/, 'the first admin one-time password is printed on first start');

  run.child.kill('SIGINT');
  const exit = await Promise.race([
    run.exited,
    new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), 15_000)),
  ]);
  t.not(exit, 'timeout', 'exits within 15 s of SIGINT');
  t.same(postgresProcessesFor(path.join(dataDir, 'postgres')), [], 'no postgres process left');

  // A second start reuses the data directory: same database, no second admin password.
  const again = startRingpath(['serve'], { PORT: String(port), DATA_DIR: dataDir });
  t.teardown(() => void again.child.kill('SIGKILL'));
  await waitFor(() => healthy(port), 60_000, '/healthz after restart');
  t.notMatch(again.output(), /oneTimePassword/, 'no new admin on restart');
  again.child.kill('SIGTERM');
  await again.exited;
  t.same(postgresProcessesFor(path.join(dataDir, 'postgres')), [], 'no postgres process left after SIGTERM');
});

t.test('an invalid setting stops the process with one line naming the variable', async (t) => {
  const { code, output } = await runRingpath(['serve'], { PORT: 'abc' });
  t.not(code, 0);
  t.match(output, /PORT must be an integer from 1 to 65535 \(got "abc"\)/);
  t.equal(output.trim().split('\n').length, 1, 'one line');
  const country = await runRingpath(['serve'], { DEFAULT_COUNTRY: 'Narnia' });
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

t.test('after kill -9 the next start takes over the orphaned embedded PostgreSQL and keeps the data', async (t) => {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'ringpath-kill9-'));
  t.teardown(() => rm(dataDir, { recursive: true, force: true }));
  const port = await freePort();
  const env = { PORT: String(port), DATA_DIR: dataDir, ADMIN_PASSWORD: 'a-long-admin-password' };
  const first = startRingpath(['serve'], env);
  await waitFor(() => healthy(port), 60_000, '/healthz');
  first.child.kill('SIGKILL');
  await first.exited;
  t.ok(postgresProcessesFor(path.join(dataDir, 'postgres')).length > 0, 'postgres survived its parent');

  const second = startRingpath(['serve'], env);
  t.teardown(() => void second.child.kill('SIGKILL'));
  await waitFor(() => healthy(port), 60_000, '/healthz after kill -9');
  t.match(second.output(), /orphaned embedded PostgreSQL/, 'the takeover is logged');
  const ready = await fetch(`http://127.0.0.1:${port}/readyz`);
  t.equal(ready.status, 200, 'database ready again');
  second.child.kill('SIGTERM');
  const { code } = await second.exited;
  t.equal(code, 0);
  t.same(postgresProcessesFor(path.join(dataDir, 'postgres')), [], 'no postgres left');
});
