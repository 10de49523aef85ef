// The CRM worker announces call.crm_synced once a call's sync has finished,
// with the HubSpot records it wrote, for the webhook endpoints subscribed to it.
import t from 'tap';
import { crmWorld } from '../../support/crm/world.ts';
import { syncedCall } from '../../support/crm/inspect.ts';

t.test('a synced call queues one call.crm_synced delivery naming its HubSpot records', async (t) => {
  const w = await crmWorld(t);
  await w.pool.query(
    `INSERT INTO webhook_endpoints (url, event_types, secret) VALUES ('https://hooks.example.com/a', '{call.crm_synced}', $1),
                                                                   ('https://hooks.example.com/b', '{call.ended}', $1)`,
    [`whsec_${Buffer.alloc(32, 3).toString('base64')}`],
  );
  await w.startWorker();
  const id = await w.record({ client: '+380501110001', answeredBy: w.ana });
  await w.settled([id]);
  // the event is queued at the end of the sync job: wait until the job itself is done
  for (let i = 0; ; i++) {
    const { rows } = await w.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM graphile_worker.jobs WHERE key = $1', [id]);
    if (rows[0]?.n === 0) break;
    if (i > 600) throw new Error('the CRM sync job did not finish');
    await new Promise((r) => setTimeout(r, 50));
  }
  const call = await syncedCall(w.pool, id);
  t.equal(call.crm_sync_state, 'synced');
  const { rows } = await w.pool.query<{ endpoint_id: string; event_type: string; payload: { data: { call_id: string; crm: unknown } } }>(
    'SELECT endpoint_id, event_type, payload FROM webhook_deliveries ORDER BY id',
  );
  t.same(
    rows.map((r) => [Number(r.endpoint_id), r.event_type, r.payload.data.call_id]),
    [[1, 'call.crm_synced', id]],
    'one delivery, for the endpoint subscribed to call.crm_synced',
  );
  t.same(rows[0]!.payload.data.crm, { contact_id: call.crm_contact_id, deal_id: call.crm_deal_id, call_id: call.crm_call_id });
});

t.test('a test call to the CRM queues no call.crm_synced: it stays between ringpath and HubSpot', async (t) => {
  const w = await crmWorld(t);
  await w.pool.query(`INSERT INTO webhook_endpoints (url, event_types, secret) VALUES ('https://hooks.example.com/a', '{call.crm_synced}', $1)`, [
    `whsec_${Buffer.alloc(32, 3).toString('base64')}`,
  ]);
  // marked before any worker runs, so the sync sees a test call
  const id = await w.record({ client: '+380501110002', answeredBy: w.ana });
  await w.pool.query('UPDATE calls SET is_test = true WHERE id = $1', [id]);
  await w.startWorker();
  await w.settled([id]);
  for (let i = 0; ; i++) {
    const { rows } = await w.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM graphile_worker.jobs WHERE key = $1', [id]);
    if (rows[0]?.n === 0) break;
    if (i > 600) throw new Error('the CRM sync job did not finish');
    await new Promise((r) => setTimeout(r, 50));
  }
  t.equal((await syncedCall(w.pool, id)).crm_sync_state, 'synced', 'the test call itself is synced');
  const { rows } = await w.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM webhook_deliveries');
  t.equal(rows[0]!.n, 0, 'no delivery queued');
});
