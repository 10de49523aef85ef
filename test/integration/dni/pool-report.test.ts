// GET /api/v1/sites/{id}/pool-report on a written-out hour of one site's pool, and
// the per-site gauges in /metrics.
import t from 'tap';
import { Registry } from 'prom-client';
import { poolGaugeValues, registerPoolMetrics } from '../../../src/dni/pool-metrics.ts';
import { testApi } from '../../support/app.ts';
import { silentLogger } from '../../support/db.ts';
import { numberPool, site, visitorSession } from '../../support/dni-fixtures.ts';

const at = (hhmmss: string) => new Date(`2026-06-15T${hhmmss}Z`);
const NUMBERS = ['+380441110001', '+380441110002', '+380441110003', '+380441110004'];
const FROM = '2026-06-15T09:00:00Z';
const TO = '2026-06-15T10:00:00Z';

t.test('the pool report', async (t) => {
  const api = await testApi(t);
  const db = api.db.pool;
  const siteId = await site(db, { holdTimeS: 600 });
  const { poolId, ids } = await numberPool(db, siteId, NUMBERS);
  const n = (i: number) => ids[i]!;
  const hold = (i: number, from: string, until: string, opts: { released?: boolean } = {}) =>
    visitorSession(db, { siteId, trackingNumberId: n(i), createdAt: at(from), heldUntil: at(until), releasedAt: opts.released === false ? null : at(until) });

  // The hour, number by number (the pool has 4):
  await hold(0, '08:50:00', '09:10:00'); // s1: began before the range
  await hold(1, '09:05:00', '09:20:00'); // s2
  await hold(0, '09:10:00', '09:30:00', { released: false }); // s3: takes s1's number the instant s1 lets it go; never swept
  await hold(2, '09:12:30', '09:12:45'); // s4: fifteen seconds
  for (let i = 0; i < 4; i++) await hold(i, '09:30:00', '09:46:00'); // s5–s8: the whole pool, 16 minutes
  await visitorSession(db, { siteId, trackingNumberId: n(3), createdAt: at('09:50:00'), heldUntil: at('10:30:00') }); // s9: live, held past the range
  // visitors turned away while the pool was full, and a bot
  for (let i = 0; i < 3; i++) {
    await visitorSession(db, { siteId, trackingNumberId: null, kind: 'fallback', createdAt: at('09:40:00'), heldUntil: at('09:50:00'), fallbackReason: 'pool_exhausted' });
    await db.query(`INSERT INTO dni_events (site_id, at, kind) VALUES ($1, $2, 'pool_exhausted')`, [siteId, at('09:40:00')]);
  }
  await visitorSession(db, { siteId, trackingNumberId: null, kind: 'fallback', createdAt: at('09:41:00'), fallbackReason: 'bot' });
  await db.query(`INSERT INTO dni_events (site_id, at, kind) VALUES ($1, $2, 'bot')`, [siteId, at('09:41:00')]);
  // another site's pool is busy at the same time and must not show
  const other = await site(db, { name: 'other', fallback: '+380449990002' });
  const { ids: otherIds } = await numberPool(db, other, ['+380441119999']);
  await visitorSession(db, { siteId: other, trackingNumberId: otherIds[0]!, createdAt: at('09:00:00'), heldUntil: at('10:00:00') });

  const res = await api.get(`/api/v1/sites/${siteId}/pool-report?from=${FROM}&to=${TO}`);
  t.equal(res.statusCode, 200, res.body);
  const report = res.json();

  t.test('holds in use per minute: the most at once during each minute', async (t) => {
    const expected = [
      ...Array(5).fill(1), // 09:00–09:04: s1
      ...Array(5).fill(2), // 09:05–09:09: s1, s2
      2, // 09:10: s1 hands its number to s3 at that instant, held once
      2, // 09:11
      3, // 09:12: s4 for fifteen seconds
      ...Array(7).fill(2), // 09:13–09:19: s2, s3
      ...Array(10).fill(1), // 09:20–09:29: s3, its hold run out at 09:30 though never released
      ...Array(16).fill(4), // 09:30–09:45: the whole pool (s3 let go at the instant s5–s8 came)
      ...Array(4).fill(0), // 09:46–09:49
      ...Array(10).fill(1), // 09:50–09:59: s9
    ];
    t.equal(report.utilisation.buckets.length, 60, 'one bucket a minute');
    t.same(report.utilisation.buckets.map((b: { holds: number }) => b.holds), expected);
    t.same(report.utilisation.buckets[12], { at: '2026-06-15T09:12:00.000Z', holds: 3, utilisation: 0.75 });
    t.match(report.utilisation, { bucket_s: 60, peak_holds: 4, peak_at: '2026-06-15T09:30:00.000Z', peak_utilisation: 1 });
    t.same(report.pool, { id: poolId, size: 4, hold_time_s: 600 });
  });

  t.test('above 75% for 15 minutes: one run, and a warning', async (t) => {
    t.same(report.high_utilisation, {
      threshold: 0.75,
      min_minutes: 15,
      windows: [{ from: '2026-06-15T09:30:00.000Z', to: '2026-06-15T09:46:00.000Z', minutes: 16, peak_holds: 4 }],
    });
    t.same(report.warnings.map((w: { code: string }) => w.code), ['HIGH_UTILISATION', 'POOL_EXHAUSTED', 'POOL_TOO_SMALL']);
  });

  t.test('exhaustion: the events, and the sessions given the fallback number', async (t) => {
    t.same(report.exhaustion, {
      events: 3,
      events_by_hour: [{ hour: '2026-06-15T09:00:00.000Z', events: 3 }],
      fallback_sessions: { total: 4, by_reason: { bot: 1, pool_exhausted: 3 } },
    });
  });

  t.test('the busiest hour and the size it calls for', async (t) => {
    // 8 pool sessions began in the hour (s2–s9) and 3 were turned away: λ = 11/h.
    // Their holds: 900 + 1200 + 15 + 4 × 960 + 2400 (s9 to its held_until) = 8355 s, W = 1044.375 s.
    const lambdaW = (11 * 1044.375) / 3600;
    t.match(report.busiest_hour, {
      from: '2026-06-15T09:00:00.000Z',
      to: '2026-06-15T10:00:00.000Z',
      pool_sessions: 8,
      turned_away: 3,
      arrivals_per_hour: 11,
      mean_hold_s: 1044.4,
    });
    t.ok(Math.abs(report.busiest_hour.offered_load - lambdaW) < 1e-4, `λW = ${lambdaW}`);
    // P(Poisson(3.1911) > 8) ≤ 1% < P(Poisson(3.1911) > 7); P(Poisson(3.1911) > 4) = 0.21781 (scipy)
    t.match(report.sizing, { current_size: 4, recommended_size: 8, target: 0.01 });
    t.ok(Math.abs(report.sizing.exhaustion_probability - 0.217812) < 1e-6, `exhaustion probability ${report.sizing.exhaustion_probability}`);
  });

  t.test('a range with nothing in it', async (t) => {
    const quiet = (await api.get(`/api/v1/sites/${siteId}/pool-report?from=2026-06-14T09:00:00Z&to=2026-06-14T09:05:00Z`)).json();
    t.same(quiet.utilisation.buckets.map((b: { holds: number }) => b.holds), [0, 0, 0, 0, 0]);
    t.match(quiet, { busiest_hour: null, sizing: { offered_load: 0, recommended_size: 0, exhaustion_probability: 0 }, warnings: [] });
    t.equal(quiet.utilisation.peak_at, null);
  });

  t.test('a site without a pool: its report says so', async (t) => {
    const bare = await site(db, { name: 'bare', fallback: '+380449990003' });
    const body = (await api.get(`/api/v1/sites/${bare}/pool-report?from=${FROM}&to=${TO}`)).json();
    t.match(body, { pool: { id: null, size: 0 }, utilisation: { peak_utilisation: null } });
    t.same(body.warnings.map((w: { code: string }) => w.code), ['NO_POOL']);
  });

  t.test('bad input: a clear 4xx naming what is wrong', async (t) => {
    const url = (q: string) => `/api/v1/sites/${siteId}/pool-report?${q}`;
    // [case, url, status, code, field, detail]
    const rows: Array<[string, string, number, string, string | null, RegExp]> = [
      ['32 days', url('from=2026-05-01T00:00:00Z&to=2026-06-02T00:00:00Z'), 400, 'VALIDATION_FAILED', '/to', /at most 31 days.*32\.0 days/],
      ['to before from', url(`from=${TO}&to=${FROM}`), 400, 'VALIDATION_FAILED', '/to', /must be after from/],
      ['from without a zone', url('from=2026-06-15T09:00:00&to=2026-06-15T10:00:00Z'), 400, 'VALIDATION_FAILED', '/from', /ISO 8601 time with a zone/],
      ['an unknown parameter', url('since=2026-06-15T09:00:00Z'), 400, 'VALIDATION_FAILED', null, /since/],
      ['no such site', `/api/v1/sites/999999/pool-report?from=${FROM}&to=${TO}`, 404, 'NOT_FOUND', null, /site 999999 does not exist/],
      ['a site id that is no number', `/api/v1/sites/abc/pool-report`, 400, 'VALIDATION_FAILED', null, /id/],
    ];
    for (const [name, u, status, code, field, detail] of rows) {
      const r = await api.get(u);
      t.equal(r.statusCode, status, `${name}: ${status}`);
      t.equal(r.json().code, code, `${name}: ${code}`);
      t.match(r.json().detail, detail, `${name}: says what is wrong`);
      if (field) t.equal(r.json().errors?.[0]?.field, field, `${name}: names ${field}`);
    }
    t.equal((await api.get(url('from=2026-05-02T00:00:00Z&to=2026-06-02T00:00:00Z'))).statusCode, 200, 'exactly 31 days is fine');
    t.equal((await api.app.inject({ method: 'GET', url: url(`from=${FROM}&to=${TO}`) })).statusCode, 401, 'an API key is required');
  });

  t.test('/metrics: per-site gauges worked out at scrape time', async (t) => {
    // at 09:45:30 the whole pool has been held since 09:30: 16 minutes above 75%
    t.same(await poolGaugeValues(db, at('09:45:30')), [
      { siteId, size: 4, utilisation: 1, high: true },
      { siteId: other, size: 1, utilisation: 1, high: true },
    ]);
    // at 09:44:30 only 15 minutes (09:30 to 09:44) have been: still high; at 09:43:30, 14: not yet
    t.match(await poolGaugeValues(db, at('09:44:30')), [{ siteId, high: true }]);
    t.match(await poolGaugeValues(db, at('09:43:30')), [{ siteId, utilisation: 1, high: false }]);
    t.match(await poolGaugeValues(db, at('09:55:00')), [{ siteId, utilisation: 0.25, high: false }]);

    const registry = new Registry();
    let now = at('09:45:30');
    registerPoolMetrics(registry, db, silentLogger, () => now);
    const text = await registry.metrics();
    t.match(text, `ringpath_dni_pool_high_utilisation{site_id="${siteId}"} 1`);
    t.match(text, `ringpath_dni_pool_utilisation_ratio{site_id="${siteId}"} 1`);
    t.match(text, `ringpath_dni_pool_size{site_id="${siteId}"} 4`);
    now = at('09:45:50');
    t.match(await registry.metrics(), `ringpath_dni_pool_high_utilisation{site_id="${siteId}"} 1`, 'within 30 s of the last read: the same values');
    now = at('09:56:00');
    t.match(await registry.metrics(), `ringpath_dni_pool_high_utilisation{site_id="${siteId}"} 0`, 'later: read again');

    const scraped = await api.app.inject({ method: 'GET', url: '/metrics' });
    t.equal(scraped.statusCode, 200);
    t.match(scraped.body, new RegExp(`ringpath_dni_pool_size\\{site_id="${siteId}",service="ringpath"\\} 4`), "the app's /metrics has them");
  });
});
