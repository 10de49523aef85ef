// The reports' shapes: calls by source per day, and call-back times.
import t from 'tap';
import { callbackStats, callsBySourceSeries } from '../../../src/console/reports.ts';

t.test('calls by source: one row per day, a column per source, the rest as "other"', async (t) => {
  const rows = [
    { day: '2026-06-02', source: 'google / cpc', calls: 3 },
    { day: '2026-06-01', source: 'google / cpc', calls: 2 },
    { day: '2026-06-01', source: 'Billboard', calls: 1 },
    { day: '2026-06-02', source: 'facebook / paid', calls: 1 },
    { day: '2026-06-02', source: 'email', calls: 1 },
  ];
  t.same(callsBySourceSeries(rows, 2), {
    sources: ['google / cpc', 'Billboard', 'other'],
    days: [
      { day: '2026-06-01', 'google / cpc': 2, Billboard: 1, other: 0 },
      { day: '2026-06-02', 'google / cpc': 3, Billboard: 0, other: 2 },
    ],
  });
  t.same(callsBySourceSeries([]), { sources: [], days: [] });
  t.same(callsBySourceSeries(rows.slice(0, 2)).sources, ['google / cpc'], 'no "other" when every source fits');
});

t.test('call-back times: counts, median, 90th percentile and buckets', async (t) => {
  const s = callbackStats([5, null, 30, 90, 300, 2000, null, 10]);
  t.equal(s.called_back, 6);
  t.equal(s.not_called_back, 2);
  t.equal(s.median_minutes, 30, 'nearest rank: the 3rd of 6');
  t.equal(s.p90_minutes, 2000);
  t.same(s.buckets, [
    { label: '15m', calls: 2 },
    { label: '1h', calls: 1 },
    { label: '4h', calls: 1 },
    { label: '24h', calls: 1 },
    { label: 'later', calls: 1 },
  ]);
  t.same(callbackStats([null]), { called_back: 0, not_called_back: 1, median_minutes: null, p90_minutes: null, buckets: s.buckets.map((b) => ({ ...b, calls: 0 })) });
  t.equal(callbackStats([15]).buckets[0]!.calls, 1, '15 minutes exactly is within 15 minutes');
});
