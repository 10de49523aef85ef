// Crash recovery under a search index that lags longer than the settle time (SPEC §6
// "never write twice"): HubSpot's indexing lag is random and sometimes long. A write
// whose answer was lost is looked up by its documented identity (hs_call_external_id
// on the call engagement); while search may still be behind, the job is deferred
// instead of writing again, so no engagement is ever duplicated.
import { Client } from '@hubspot/api-client';
import { FilterOperatorEnum } from '@hubspot/api-client/lib/codegen/crm/objects/index.js';
import t from 'tap';
import { whenNotFound } from '../../../src/crm/executor/run-writes.ts';
import { enqueue } from '../../../src/crm/executor/sync-state.ts';
import { EXTERNAL_ACCOUNT_ID } from '../../../src/crm/hubspot/writer.ts';
import { crm, syncedCall } from '../../support/crm/inspect.ts';
import { crmWorld } from '../../support/crm/world.ts';

t.test('what a write in doubt that search does not show leads to', async (t) => {
  const table: Array<[string, number, unknown]> = [
    ['younger than the settle time: wait the rest of it', 100, { next: 'wait', ms: 200 }],
    ['past the settle time, within the longest lag: defer', 1_000, { next: 'defer', ms: 4_000 }],
    ['near the longest lag: defer at least 1 s', 4_900, { next: 'defer', ms: 1_000 }],
    ['older than the longest lag: it never reached the CRM; write it again', 5_000, { next: 'write-again' }],
  ];
  for (const [name, age, want] of table) t.same(whenNotFound(age, 300, 5_000), want, name);
  t.same(whenNotFound(10_000, 300, 600_000), { next: 'defer', ms: 60_000 }, 'deferred a minute at a time');
});

t.test('lost answers under a random indexing lag longer than the settle time: no duplicate engagement', async (t) => {
  const w = await crmWorld(t);
  await w.settings({ crm_completed_task_for_answered_calls: false });
  await w.startWorker({ settleMs: 300, maxSearchLagMs: 10_000 });
  const hs = crm(w.emulator);
  const ids: string[] = [];
  for (let i = 0; i < 4; i++) ids.push(await w.record({ client: `+38050777010${i}`, answeredBy: w.ana }));
  t.same(Object.values(await w.settled(ids)), Array(4).fill('synced'));

  // From now on writes take 4 to 8 s to reach search, mostly nearer 4 s: far longer than the settle time.
  w.emulator.control.search.lagMs = 4_000;
  w.emulator.control.search.lagMaxMs = 8_000;
  const again: string[] = [];
  for (let i = 0; i < 4; i++) again.push(await w.record({ client: `+38050777020${i}`, answeredBy: w.boris }));
  t.same(Object.values(await w.settled(again)), Array(4).fill('synced'));
  // As if each process died after HubSpot made the engagement, before the ledger heard of it.
  await w.pool.query(`UPDATE crm_sync_ledger SET object_id = NULL, written_at = NULL, started_at = now() WHERE call_id = ANY($1::uuid[]) AND key = 'call'`, [again]);
  await w.pool.query(`UPDATE calls SET crm_sync_state = 'pending' WHERE id = ANY($1::uuid[])`, [again]);
  const admin = new Client({ accessToken: w.emulator.token, basePath: w.emulator.url, numberOfApiCallRetries: 0 });
  const searchable = await admin.crm.objects.searchApi.doSearch('calls', {
    filterGroups: [{ filters: [{ propertyName: 'hs_call_external_id', operator: FilterOperatorEnum.In, values: again }] }],
    properties: [],
    limit: 10,
  });
  t.equal(searchable.results.length, 0, 'search does not show the new engagements yet');
  for (const id of again) await enqueue(w.pool, id);
  t.same(Object.values(await w.settled(again, 60_000)), Array(4).fill('synced'));

  for (const id of [...ids, ...again]) {
    const engagements = w.emulator.control.records('calls').filter((r) => r.properties.hs_call_external_id === id);
    t.equal(engagements.length, 1, `call ${id.slice(0, 8)}: one engagement`);
    t.match(engagements[0]?.properties, { hs_call_external_account_id: EXTERNAL_ACCOUNT_ID, hs_call_source: 'INTEGRATIONS_PLATFORM' });
    t.equal((await syncedCall(w.pool, id)).crm_call_id, engagements[0]?.id, 'the ledger has it');
  }
  t.equal(hs.count('calls'), 8);
});
