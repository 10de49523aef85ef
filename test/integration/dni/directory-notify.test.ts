// Holding and releasing numbers is no directory change: the call path's caches
// stay warm under DNI traffic, while the admin API's changes are still announced.
import pg from 'pg';
import t from 'tap';
import { sweepExpiredHolds } from '../../../src/db/repositories/dni-sessions.ts';
import { testApi } from '../../support/app.ts';
import { PAGE, askSession, dniSite, sendHeartbeat } from '../../support/dni.ts';

t.test('allocation, heartbeats, exhaustion and the sweep announce nothing; admin changes do', async (t) => {
  const api = await testApi(t);
  const s = await dniSite(api, { pool: 1 });
  const listener = new pg.Client({ connectionString: api.db.url });
  await listener.connect();
  t.teardown(() => listener.end());
  const heard: string[] = [];
  listener.on('notification', (n) => heard.push(n.payload ?? ''));
  await listener.query('LISTEN ringpath_directory');
  // a round trip on the listener's connection delivers whatever was sent before it
  const settle = async () => void (await listener.query('SELECT 1'));

  const a = (await askSession(api.app, { site: s.key, page: PAGE }, { ip: '203.0.113.1' })).json();
  t.equal(a.kind, 'pool', 'a number is taken');
  t.equal((await askSession(api.app, { site: s.key, page: PAGE }, { ip: '203.0.113.2' })).json().kind, 'fallback', 'exhausted');
  t.equal((await sendHeartbeat(api.app, a.session)).statusCode, 200, 'a heartbeat extends it');
  await api.db.pool.query(`UPDATE tracking_numbers SET held_until = now() - interval '1 second'`);
  await api.db.pool.query(`UPDATE visitor_sessions SET held_until = now() - interval '1 second'`);
  t.equal((await sweepExpiredHolds(api.db.pool)).numbers, 1, 'the sweep releases it');
  await settle();
  t.same(heard, [], 'no directory notification');

  const tn = (await api.get(`/api/v1/tracking-numbers?pool_id=${s.poolId}`)).json().items[0];
  t.equal((await api.patch(`/api/v1/tracking-numbers/${tn.id}`, { routing_scheme_id: null })).statusCode, 200, 'a number changed');
  t.equal((await api.patch(`/api/v1/pools/${s.poolId}`, { name: 'Renamed' })).statusCode, 200, 'a pool renamed');
  await settle();
  t.same(heard, ['tracking_numbers', 'pools'], 'admin changes to numbers and pools are announced');
});
