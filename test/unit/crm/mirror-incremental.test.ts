// The incremental sync's search loop against a fake CRM search that behaves as
// HubSpot's does: GTE filter, ascending sort, offset paging that stops at a cap.
import t from 'tap';
import { pullModified, type PullOptions } from '../../../src/crm/mirror/incremental.ts';
import type { HubSpotRecord, MirrorSource, SearchPage } from '../../../src/crm/mirror/types.ts';

function fakeSearch(records: Array<{ id: string; modified: number }>, maxResults: number) {
  const calls: Array<{ since: number; after: string | undefined }> = [];
  const unused = () => Promise.reject(new Error('not used by the incremental loop'));
  const source: MirrorSource = {
    async searchModified(_type, since, after, _properties, limit): Promise<SearchPage> {
      calls.push({ since, after });
      const offset = after === undefined ? 0 : Number(after);
      if (offset + limit > maxResults) throw new Error(`paging beyond ${maxResults} results`);
      const matched = records.filter((r) => r.modified >= since).sort((a, b) => a.modified - b.modified || Number(a.id) - Number(b.id));
      const page: HubSpotRecord[] = matched.slice(offset, offset + limit).map((r) => ({
        id: r.id,
        properties: { lastmodifieddate: new Date(r.modified).toISOString() },
      }));
      const next = offset + limit;
      return { records: page, total: matched.length, after: next < matched.length && next < maxResults ? String(next) : undefined };
    },
    listPage: unused,
    count: unused,
    batchRead: unused,
    dealContacts: unused,
    owners: unused,
    dealPipelines: unused,
    phoneProperties: unused,
  };
  return { source, calls };
}

const NOW = Date.UTC(2024, 2, 1, 12);
const opts = (o: Partial<PullOptions> = {}): PullOptions => ({ pageSize: 2, maxResults: 6, marginMs: 60_000, now: () => NOW, ...o });
const records = (n: number, from: number, step = 1000) => Array.from({ length: n }, (_, i) => ({ id: String(100 + i), modified: from + i * step }));

async function pull(source: MirrorSource, since: number, o: PullOptions) {
  const seen: string[] = [];
  const res = await pullModified(source, 'contacts', since, [], o, async (rs) => void seen.push(...rs.map((r) => r.id)));
  return { ...res, seen };
}

t.test('pages through the changes, oldest first', async (t) => {
  const { source, calls } = fakeSearch(records(5, NOW - 3_600_000), 6);
  const r = await pull(source, NOW - 7_200_000, opts({ maxResults: 10 }));
  t.same(r.seen, ['100', '101', '102', '103', '104']);
  t.same(calls.map((c) => c.after), [undefined, '2', '4']);
  t.equal(r.highWaterMs, NOW - 60_000, 'the next pass starts a margin before now');
  t.equal(r.windows, 0);
});

t.test('past the search cap, the window restarts from the newest record seen', async (t) => {
  const all = records(25, NOW - 3_600_000);
  const { source, calls } = fakeSearch(all, 6);
  const r = await pull(source, NOW - 7_200_000, opts());
  t.same(new Set(r.seen), new Set(all.map((x) => x.id)), 'every record was read');
  t.ok(r.windows >= 4, `the window restarted (${r.windows} times)`);
  t.ok(calls.every((c) => c.after === undefined || Number(c.after) + 2 <= 6), 'never asked past the cap');
  t.ok(r.seen.length < 25 * 2, 'records are re-read at most at the window edges');
});

t.test('more records at one instant than the cap: skips past it with a warning, never loops', async (t) => {
  const same = Array.from({ length: 10 }, (_, i) => ({ id: String(200 + i), modified: NOW - 10_000 }));
  const later = [{ id: '300', modified: NOW - 5_000 }];
  const { source } = fakeSearch([...same, ...later], 4);
  const r = await pull(source, NOW - 20_000, opts({ maxResults: 4 }));
  t.ok(r.seen.includes('300'), 'the records after that instant are read');
});

t.test('no changes: the mark still moves up to now minus the margin, never back', async (t) => {
  const { source } = fakeSearch([], 6);
  t.equal((await pull(source, NOW - 3_600_000, opts())).highWaterMs, NOW - 60_000);
  t.equal((await pull(source, NOW - 1_000, opts())).highWaterMs, NOW - 1_000, 'a mark already past now-minus-margin stays');
});
