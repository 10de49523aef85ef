// HubSpot down for a while (SPEC §6): jobs wait and retry, calls go on being stored
// and routed from the mirror, and once HubSpot is back every call is synced exactly once.
import t from 'tap';
import { lookupResponsible } from '../../../src/crm/mirror-lookup.ts';
import { crm, syncedCall } from '../../support/crm/inspect.ts';
import { crmWorld } from '../../support/crm/world.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

for (const mode of ['refuse', '503'] as const) {
  t.test(`HubSpot down (${mode}) then back: every call synced exactly once`, async (t) => {
    const w = await crmWorld(t);
    const known = await w.existingClient('+380507770001', w.boris);
    await w.emulator.control.faults.down(undefined, mode);
    await w.startWorker();

    const specs = [
      { client: '+380507770001', answeredBy: w.boris },
      { client: '+380507770002', answeredBy: w.ana },
      { client: '+380507770003', disposition: 'missed' as const },
      { client: '+380507770002', answeredBy: w.boris },
    ];
    const ids: string[] = [];
    for (const spec of specs) ids.push(await w.record(spec));
    t.same(await lookupResponsible(w.pool, '+380507770001', 50), { status: 'found', contactOwnerId: w.boris.ownerId, dealOwnerId: w.boris.ownerId }, 'routing reads the mirror while HubSpot is down');

    // Wait until every job has been tried against the dead HubSpot and failed.
    const jobs = async () =>
      (
        await w.pool.query<{ n: number; failed: number }>(
          `SELECT count(*)::int AS n, count(*) FILTER (WHERE last_error IS NOT NULL)::int AS failed FROM graphile_worker.jobs WHERE key = ANY($1::text[])`,
          [ids],
        )
      ).rows[0]!;
    for (let deadline = Date.now() + 60_000; (await jobs()).failed < ids.length; await sleep(200)) {
      if (Date.now() > deadline) throw new Error(`jobs not all tried within 60 s: ${JSON.stringify(await jobs())}`);
    }
    const { rows: waiting } = await w.pool.query<{ crm_sync_state: string }>('SELECT crm_sync_state FROM calls WHERE id = ANY($1::uuid[])', [ids]);
    t.same(waiting.map((r) => r.crm_sync_state), ['pending', 'pending', 'pending', 'pending'], 'the calls wait, none is dead-lettered');
    t.same(await jobs(), { n: 4, failed: 4 }, 'every job failed against the dead HubSpot and is queued again for a retry');

    await w.emulator.control.faults.up();
    const states = await w.settled(ids, 100_000);
    t.same(Object.values(states), ['synced', 'synced', 'synced', 'synced']);
    const hs = crm(w.emulator);
    for (const id of ids) t.equal(hs.ofCall('calls', id).length, 1, `call ${id.slice(0, 8)}: exactly one engagement`);
    const contacts = (phone: string) => w.emulator.control.records('contacts').filter((c) => c.properties.phone === phone).length;
    t.same(['+380507770001', '+380507770002', '+380507770003'].map(contacts), [1, 1, 1], 'one contact per number');
    t.equal((await syncedCall(w.pool, ids[0]!)).crm_contact_id, known.contactId);
    const { rows } = await w.pool.query<{ failures: number }>('SELECT sum(failures)::int AS failures FROM crm_sync_outcomes WHERE call_id = ANY($1::uuid[])', [ids]);
    t.ok((rows[0]?.failures ?? 0) >= 1, 'the failed attempts are on record');
  });
}
