// `ringpath serve` as a real process on an external database: a port that is
// taken, and Ctrl-C (SIGINT to its process group, as a terminal sends it) with
// the CRM side running against the HubSpot emulator.
import net from 'node:net';
import t from 'tap';
import { freePort } from '../../../src/util/net.ts';
import { testDatabase } from '../../support/db.ts';
import { hubspotForTest } from '../../support/hubspot-emulator/testing.ts';
import { errorLines, linesWithDuplicateKeys } from '../../support/log-lines.ts';
import { startRingpath, waitFor } from '../../support/process.ts';

t.test('serve on a port in use exits 1 with one line naming the port and PORT', async (t) => {
  const db = await testDatabase(t);
  const taken = net.createServer();
  await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
  t.teardown(() => new Promise((resolve) => taken.close(resolve)));
  const port = (taken.address() as net.AddressInfo).port;
  const run = startRingpath(['serve'], { PORT: String(port), DATABASE_URL: db.url });
  t.teardown(() => void run.child.kill('SIGKILL'));
  const { code } = await run.closed;
  t.equal(code, 1);
  t.equal(run.stderr(), `ringpath: port ${port} on 127.0.0.1 is already in use: set PORT to a free port (e.g. PORT=8081 npm start)\n`);
  t.same(errorLines(run.output()), [], 'no stack traces');
});

t.test('Ctrl-C with HUBSPOT_TOKEN set: a clean exit, no line at level error, one component key a line, no crontab lookup', async (t) => {
  const db = await testDatabase(t);
  const { emulator } = await hubspotForTest(t);
  const port = await freePort();
  const run = startRingpath(
    ['serve'],
    { PORT: String(port), DATABASE_URL: db.url, HUBSPOT_TOKEN: emulator.token, HUBSPOT_BASE_URL: emulator.url, LOG_LEVEL: 'debug' },
    { detached: true },
  );
  t.teardown(() => void run.child.kill('SIGKILL'));
  await waitFor(async () => (await fetch(`http://127.0.0.1:${port}/healthz`)).ok, 60_000, '/healthz');
  await waitFor(async () => run.stdout().includes('CRM sync worker started'), 30_000, 'the CRM worker');
  // the mirror's first full sync of the (empty) portal, so its loop is running too
  await waitFor(async () => /full sync/.test(run.stdout()), 30_000, 'the CRM mirror');

  process.kill(-run.child.pid!, 'SIGINT');
  t.same(await run.exited, { code: 0, signal: null }, 'a clean exit');
  await run.closed;
  const output = run.output();
  t.same(errorLines(output), [], 'no line at level error or above');
  t.same(linesWithDuplicateKeys(output, 'component'), [], 'no line names its component twice');
  t.match(output, /"subcomponent":"jobs"/, 'the job queue inside the CRM worker is named once more, as a subcomponent');
  t.notMatch(output, /crontab/, 'graphile-worker does not look for a crontab file');
});
