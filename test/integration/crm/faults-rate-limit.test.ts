// A burst of calls against a HubSpot whose limit is lower than ringpath believes:
// HubSpot answers 429 with Retry-After, the gateway waits it out, and no job fails.
import t from 'tap';
import { createHubSpotWriter } from '../../../src/crm/hubspot/writer.ts';
import { crm } from '../../support/crm/inspect.ts';
import { crmWorld } from '../../support/crm/world.ts';

t.test('a 429 burst is honoured: every call synced once, no job failed', async (t) => {
  const w = await crmWorld(t, { env: { HUBSPOT_RATE_LIMIT: '1000', CRM_WORKER_CONCURRENCY: '6' } });
  await createHubSpotWriter(w.gateway()).ensureSchema();
  w.emulator.control.rateLimit.set({ perTenSeconds: 8 });
  w.emulator.control.rateLimit.reset();
  const ids: string[] = [];
  for (let i = 0; i < 6; i++) ids.push(await w.record({ client: `+38050888000${i}`, answeredBy: i % 2 ? w.ana : w.boris }));
  await w.startWorker();
  const states = await w.settled(ids, 100_000);
  t.same(Object.values(states), Array(6).fill('synced'));
  t.ok(w.emulator.control.requests.count((r) => r.status === 429) >= 1, 'HubSpot did answer 429');
  const { rows } = await w.pool.query<{ failures: number; attempts: number }>(
    'SELECT sum(failures)::int AS failures, sum(attempts)::int AS attempts FROM crm_sync_outcomes WHERE call_id = ANY($1::uuid[])',
    [ids],
  );
  t.equal(rows[0]?.failures, 0, 'no attempt failed');
  t.equal(rows[0]?.attempts, 6, 'one attempt per call');
  const hs = crm(w.emulator);
  for (const id of ids) {
    t.same([hs.ofCall('contacts', id).length, hs.ofCall('deals', id).length, hs.ofCall('calls', id).length], [1, 1, 1], `call ${id.slice(0, 8)}: written once`);
  }
});
