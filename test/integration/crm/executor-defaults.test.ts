// The product's defaults (004_* item 6): with no settings saved, every answered call,
// inbound or outbound, also leaves a completed task with the recording for the
// responsible manager.
import t from 'tap';
import { crm, syncedCall } from '../../support/crm/inspect.ts';
import { crmWorld, recordingLink } from '../../support/crm/world.ts';

t.test('by default every answered call leaves a completed task with its recording', async (t) => {
  const w = await crmWorld(t);
  await w.startWorker();
  const hs = crm(w.emulator);
  const known = await w.existingClient('+380501119002', w.boris);

  const fresh = await w.record({ client: '+380501119001', answeredBy: w.ana });
  const returning = await w.record({ client: '+380501119002', answeredBy: w.boris });
  const outbound = await w.record({ direction: 'outbound', client: '+380501119002', placedBy: w.boris });
  const missed = await w.record({ client: '+380501119003', disposition: 'missed' });
  t.same(Object.values(await w.settled([fresh, returning, outbound, missed])), ['synced', 'synced', 'synced', 'synced']);

  for (const [name, id, owner] of [['new client', fresh, w.ana], ['existing client', returning, w.boris], ['outbound', outbound, w.boris]] as const) {
    const call = await syncedCall(w.pool, id);
    const tasks = hs.ofCall('tasks', id);
    t.equal(tasks.length, 1, `${name}: one task`);
    t.match(tasks[0]?.properties, { hs_task_status: 'COMPLETED', hubspot_owner_id: owner.ownerId, ringpath_write_key: 'task:answered' }, `${name}: completed, for the responsible manager`);
    t.match(tasks[0]?.properties.hs_task_body, recordingLink({ id }), `${name}: the recording is in the task`);
    t.ok(call.ledger['task:answered'], `${name}: in the ledger`);
  }
  t.same(hs.links('tasks', hs.ofCall('tasks', returning)[0]!.id, 'deals'), [known.dealId], 'on the existing deal');
  t.same(hs.ofCall('tasks', missed).map((x) => x.properties.ringpath_write_key), ['task:callback'], 'a missed call gets its call-back task only');
});
