// Every /api/v1 route × every access level and sales role, through a real console
// session: 200 where the role may, 403 where it may not, and never a call beyond
// the role's scope. The routes are read from the OpenAPI document, so a new route
// is covered as soon as it exists.
import t from 'tap';
import type { AccessLevel, SalesRole } from '../../../src/auth/access.ts';
import { testApi, type TestApi } from '../../support/app.ts';
import { consoleUser, login, storeCall, type ConsoleSession } from '../../support/console.ts';

const LEVELS: AccessLevel[] = ['admin', 'analyst', 'employee'];
const ROLES: SalesRole[] = ['sales_rep', 'head', 'quality_control'];

interface Route {
  method: string;
  path: string;
}

function routes(api: TestApi): Route[] {
  const doc = api.app.swagger() as { paths: Record<string, Record<string, unknown>> };
  return Object.entries(doc.paths)
    .filter(([path]) => path.startsWith('/api/v1/'))
    .flatMap(([path, ops]) => Object.keys(ops).map((m) => ({ method: m.toUpperCase(), path })));
}

/** What each level may do, written out here rather than read from src/auth/access.ts. */
function expected(level: AccessLevel, r: Route): 'allowed' | 'forbidden' {
  const key = `${r.method} ${r.path.replace(/(.)\/$/, '$1')}`;
  if (key === 'POST /api/v1/auth/login' || key === 'GET /api/v1/auth/me' || key === 'POST /api/v1/auth/password' || key === 'POST /api/v1/auth/logout') {
    return 'allowed';
  }
  if (key === 'GET /api/v1/calls' || key === 'GET /api/v1/calls/{id}') return 'allowed';
  if (r.path.startsWith('/api/v1/live/')) return 'allowed';
  if (level === 'admin') return 'allowed';
  if (level === 'analyst' && (r.method === 'GET' || key === 'POST /api/v1/calls/simulate')) return 'allowed';
  return 'forbidden';
}

async function seed(api: TestApi) {
  const site = (await api.post('/api/v1/sites', { name: 'Shop', domain: 'shop.example.com', fallback_number: '+380441110000' })).json().id as number;
  const scheme = (await api.post('/api/v1/routing-schemes', { name: 'Main', steps: [{ type: 'senior_manager', ring_timeout_s: 20 }] })).json().id as number;
  const pool = (await api.post('/api/v1/pools', { site_id: site, name: 'Visitors', routing_scheme_id: scheme })).json().id as number;
  const number = (await api.post('/api/v1/tracking-numbers', { number: '+380441110001', kind: 'static', source_name: 'Billboard', routing_scheme_id: scheme })).json()
    .id as number;
  const employee = (await api.post('/api/v1/employees', { email: 'seed@example.com', full_name: 'Seed' })).json().id as number;
  const call = await storeCall(api.db.pool, { caller: '+380501112233' });
  const webhook = (await api.post('/api/v1/webhooks', { url: 'https://hooks.example.com/ringpath', event_types: ['call.ended'] })).json().id as number;
  return { site, scheme, pool, number, employee, call, webhook };
}

t.test('every route × access level × sales role: 200 where allowed, 403 where not', async (t) => {
  const api = await testApi(t);
  const ids = await seed(api);
  const idFor: Record<string, string | number> = {
    sites: ids.site,
    'routing-schemes': ids.scheme,
    pools: ids.pool,
    'tracking-numbers': ids.number,
    employees: ids.employee,
    calls: ids.call,
    webhooks: ids.webhook,
  };
  const all = routes(api);
  t.ok(all.length >= 30, `${all.length} routes under /api/v1`);
  const sessions = new Map<string, ConsoleSession>();
  for (const level of LEVELS) {
    for (const role of ROLES) {
      const email = `${level}.${role}@example.com`;
      await consoleUser(api.db.pool, { email, accessLevel: level, salesRole: role });
      sessions.set(`${level}/${role}`, await login(api.app, email));
    }
  }
  const settingsBefore = (await api.get('/api/v1/settings')).body;
  for (const r of all) {
    if (r.path === '/api/v1/auth/logout' || r.path === '/api/v1/auth/login' || r.path === '/api/v1/auth/password') continue; // covered in auth.test.ts
    if (r.path === '/api/v1/live/events') continue; // a stream that never ends: covered in live.test.ts
    const resource = r.path.split('/')[3]!;
    const url = r.path.replace('{id}', String(idFor[resource] ?? 1));
    for (const level of LEVELS) {
      for (const role of ROLES) {
        const s = sessions.get(`${level}/${role}`)!;
        const want = expected(level, r);
        // writes by those allowed are sent with an empty body: they reach validation, not a change
        const res = r.method === 'GET' ? await s.get(url) : await s.send(r.method as 'POST', url.replace(/\/\d+(?=\/|$)/, r.method === 'DELETE' ? '/999999' : '$&'), {});
        const label = `${level}/${role} ${r.method} ${url} → ${res.statusCode}`;
        if (want === 'forbidden') {
          t.equal(res.statusCode, 403, label);
          t.equal(res.json().code, 'FORBIDDEN', label);
        } else if (r.path === '/api/v1/calls/{id}' && (level === 'employee' || role === 'sales_rep') && level !== 'admin') {
          t.equal(res.statusCode, 404, `${label}: a call with nobody's client is outside their scope`);
        } else if (r.method === 'GET' && r.path.startsWith('/api/v1/crm/')) {
          t.ok(res.statusCode === 200 || res.json().code === 'CRM_SYNC_OFF', `${label}: reaches the route (no HubSpot here)`);
        } else if (r.method === 'GET') {
          t.equal(res.statusCode, 200, label);
        } else {
          t.not(res.statusCode, 403, label);
          t.not(res.statusCode, 401, label);
        }
      }
    }
  }
  t.equal((await api.get('/api/v1/settings')).body, settingsBefore, 'no refused request changed a setting');
});

t.test('each role sees only the calls its scope allows, in the list and one by one', async (t) => {
  const api = await testApi(t);
  const db = api.db.pool;
  const people: Record<string, number> = {};
  for (const [name, level, role, owner] of [
    ['rep', 'employee', 'sales_rep', 'owner-rep'],
    ['other', 'employee', 'sales_rep', 'owner-other'],
    ['head', 'employee', 'head', null],
    ['boss', 'analyst', 'head', null],
    ['qc', 'analyst', 'quality_control', null],
    ['analystrep', 'analyst', 'sales_rep', null],
    ['admin', 'admin', 'sales_rep', null],
  ] as const) {
    people[name] = await consoleUser(db, { email: `${name}@example.com`, accessLevel: level, salesRole: role, ...(owner ? { hubspotOwnerId: owner } : {}) });
  }
  await db.query(`INSERT INTO crm_contacts (id, owner_id) VALUES ('c-rep', 'owner-rep'), ('c-other', 'owner-other')`);
  const calls = {
    responsible: await storeCall(db, { caller: '+380501110001', responsibleEmployeeId: people.rep! }),
    answered: await storeCall(db, { caller: '+380501110002', answeredByEmployeeId: people.rep! }),
    ownedContact: await storeCall(db, { caller: '+380501110003', crmContactId: 'c-rep', disposition: 'missed' }),
    others: await storeCall(db, { caller: '+380501110004', responsibleEmployeeId: people.other!, crmContactId: 'c-other', recordingPath: 'x.wav' }),
    nobodys: await storeCall(db, { caller: '+380501110005', disposition: 'missed' }),
  };
  const every = Object.values(calls).sort();
  const repOwn = [calls.responsible, calls.answered, calls.ownedContact].sort();
  const want: Record<string, string[]> = {
    rep: repOwn,
    other: [calls.others],
    head: [],
    boss: every,
    qc: every,
    analystrep: [],
    admin: every,
  };
  for (const [name, visible] of Object.entries(want)) {
    const s = await login(api.app, `${name}@example.com`);
    const list = await s.get('/api/v1/calls?limit=200');
    t.equal(list.statusCode, 200, `${name} lists calls`);
    t.same(list.json().items.map((c: { id: string }) => c.id).sort(), visible, `${name} sees ${visible.length} calls`);
    t.equal(list.json().total, visible.length, `${name}: the total counts only visible calls`);
    for (const id of every) {
      const one = await s.get(`/api/v1/calls/${id}`);
      t.equal(one.statusCode, visible.includes(id) ? 200 : 404, `${name} GET /calls/${id.slice(0, 8)}`);
    }
  }
  const rep = await login(api.app, 'rep@example.com');
  const missed = await rep.get('/api/v1/calls?disposition=missed');
  t.same(missed.json().items.map((c: { id: string }) => c.id), [calls.ownedContact], 'filters narrow within the scope');
});
