// drachtio-server restarts: /readyz reports the lost SIP connection, ringpath
// reconnects by itself, and calls are handled again.
import t from 'tap';
import { testDatabase } from '../support/db.ts';
import { waitFor } from '../support/process.ts';
import { runSipp, sipUnavailable, startDrachtio, startSipRingpath } from '../support/sip.ts';

const skip = sipUnavailable() ?? (process.env.DRACHTIO_BIN ? undefined : 'SIP reconnect test skipped: it restarts drachtio-server, so it needs DRACHTIO_BIN');
t.setTimeout(5 * 60_000);

t.test('ringpath reconnects after a drachtio-server restart', { skip: skip ?? false }, async (t) => {
  const drachtio = await startDrachtio(t);
  const db = await testDatabase(t);
  const ringpath = await startSipRingpath(t, drachtio, db.url);
  const ready = async () => {
    const res = await ringpath.app.inject({ method: 'GET', url: '/readyz' });
    return { status: res.statusCode, body: res.json() as { checks: Record<string, string> } };
  };
  t.same(await ready(), { status: 200, body: { status: 'ready', checks: { database: 'ok', sip: 'ok' } } }, 'ready while connected');

  await drachtio.stop();
  await waitFor(async () => (await ready()).status === 503, 15_000, '/readyz to notice');
  const down = await ready();
  t.match(down.body.checks.sip, /not connected to drachtio-server/, '/readyz names the SIP connection');
  t.equal(down.body.checks.database, 'ok');

  await drachtio.restart();
  await waitFor(async () => (await ready()).status === 200, 30_000, 'ringpath to reconnect');
  t.pass('reconnected without a restart of ringpath');
  const call = await runSipp(t, {
    scenario: 'uac-unknown-number-expect-404.xml',
    target: `127.0.0.1:${drachtio.sipPort}`,
    service: '+380449999999',
    keys: { caller: '+380501234567' },
  });
  t.equal(call.code, 0, `calls are handled again (404 for an unknown number)\n${call.errors}`);
});
