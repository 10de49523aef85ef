// Two real processes: a running `ringpath serve` on its embedded PostgreSQL, and
// `ringpath api-key ...` beside it on the same DATA_DIR. Then Ctrl-C as a
// terminal sends it (SIGINT to the process group) stops everything quietly.
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import t from 'tap';
import { freePort } from '../../../src/util/net.ts';
import { runRingpath, startRingpath, waitFor } from '../../support/process.ts';
import { errorLines } from '../../support/log-lines.ts';

function postgresProcessesFor(dir: string): string[] {
  try {
    return execFileSync('pgrep', ['-af', `postgres -D ${dir}`], { encoding: 'utf8' }).split('\n').filter(Boolean);
  } catch {
    return []; // pgrep exits 1 when nothing matches
  }
}

t.test('the CLI (api-key, migrate, simulate-call) works beside a running serve, and Ctrl-C then stops serve and its PostgreSQL with no error logged', async (t) => {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'ringpath-beside-'));
  t.teardown(() => rm(dataDir, { recursive: true, force: true }));
  const port = await freePort();
  const env = { PORT: String(port), DATA_DIR: dataDir };
  const serve = startRingpath(['serve'], env, { detached: true });
  t.teardown(() => void serve.child.kill('SIGKILL'));
  await waitFor(async () => (await fetch(`http://127.0.0.1:${port}/healthz`)).ok, 90_000, '/healthz');
  const api = (key: string) => fetch(`http://127.0.0.1:${port}/api/v1/api-keys`, { headers: { authorization: `Bearer ${key}` } });

  const file = await stat(path.join(dataDir, 'postgres.connection.json'));
  t.equal(file.mode & 0o777, 0o600, 'the connection details are readable by their owner only');

  const created = await runRingpath(['api-key', 'create', 'zapier'], env);
  t.equal(created.code, 0, created.output);
  const key = /rp_[0-9a-f]{12}_[\w-]{43}/.exec(created.output)?.[0];
  t.ok(key, 'the key is printed');
  t.equal((await api(key!)).status, 200, 'the running server accepts the key at once');

  const listed = await runRingpath(['api-key', 'list'], env);
  t.equal(listed.code, 0, listed.output);
  const lines = listed.output.trim().split('\n');
  t.match(lines[0], /^ID +NAME +KEY +CREATED +LAST USED +REVOKED$/);
  t.match(lines[1], new RegExp(`^1 +zapier +rp_${key!.split('_')[1]}_… +\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d UTC +\\d{4}-.* UTC +-$`), 'used once, not revoked');

  const revoked = await runRingpath(['api-key', 'revoke', '1'], env);
  t.equal(revoked.code, 0, revoked.output);
  t.equal(revoked.output, 'API key 1 ("zapier") is revoked: it no longer authenticates requests\n');
  t.equal((await api(key!)).status, 401, 'the running server refuses the revoked key');

  const unknown = await runRingpath(['api-key', 'revoke', '7'], env);
  t.equal(unknown.code, 1);
  t.equal(unknown.output, 'ringpath: there is no API key 7 (see `ringpath api-key list`)\n');

  // the other commands that use the database, on the same running server
  const migrated = await runRingpath(['migrate'], env);
  t.equal(migrated.code, 0, migrated.output);
  t.equal(migrated.output, 'the database schema is up to date\n');
  const simulated = await runRingpath(['simulate-call', '--from', '+380501234567', '--to', '+380441234567'], env);
  t.equal(simulated.output, 'ringpath: +380441234567 is not a tracking number\n', 'simulate-call reads the running database');
  t.equal(simulated.code, 1);

  process.kill(-serve.child.pid!, 'SIGINT'); // the whole foreground group, as a terminal does
  t.same(await serve.exited, { code: 0, signal: null }, 'a clean exit');
  await serve.closed;
  t.same(errorLines(serve.output()), [], 'no line at level error or above');
  t.same(postgresProcessesFor(path.join(dataDir, 'postgres')), [], 'its PostgreSQL stopped too');
  await t.rejects(stat(path.join(dataDir, 'postgres.connection.json')), { code: 'ENOENT' }, 'the connection details are gone with it');
});
