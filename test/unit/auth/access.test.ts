// Who may do what through /api/v1: the permission each route needs, each access
// level's and sales role's decision, and which calls each sees.
import t from 'tap';
import { callScope, decide, mayWatchEveryMissedCall, permissionFor, type AccessLevel, type Permission, type Principal, type SalesRole } from '../../../src/auth/access.ts';

const employee = (accessLevel: AccessLevel, salesRole: SalesRole, mustChangePassword = false): Principal => ({
  kind: 'employee',
  id: 7,
  email: 'e@example.com',
  accessLevel,
  salesRole,
  mustChangePassword,
});
const apiKey: Principal = { kind: 'api_key', id: 1, name: 'zapier' };

t.test('each route needs its permission; unlisted routes are read for GET and write otherwise', async (t) => {
  const cases: Array<[string, string, Permission]> = [
    ['POST', '/api/v1/auth/login', 'public'],
    ['GET', '/api/v1/auth/me', 'self'],
    ['POST', '/api/v1/auth/password', 'self'],
    ['POST', '/api/v1/auth/logout', 'self'],
    ['GET', '/api/v1/calls', 'calls'],
    ['GET', '/api/v1/calls/', 'calls'],
    ['POST', '/api/v1/auth/login/', 'public'],
    ['HEAD', '/api/v1/calls', 'calls'],
    ['GET', '/api/v1/calls/:id', 'calls'],
    ['POST', '/api/v1/calls/simulate', 'simulate'],
    ['POST', '/api/v1/calls/:id/crm-sync/retry', 'write'],
    ['GET', '/api/v1/settings', 'read'],
    ['PATCH', '/api/v1/settings', 'write'],
    ['GET', '/api/v1/employees', 'read'],
    ['DELETE', '/api/v1/employees/:id', 'write'],
    ['PUT', '/api/v1/employees/:id/console-password', 'write'],
    ['GET', '/api/v1/audit-log', 'read'],
    ['GET', '/api/v1/some-future-route', 'read'],
    ['POST', '/api/v1/some-future-route', 'write'],
  ];
  for (const [method, url, want] of cases) t.equal(permissionFor(method, url), want, `${method} ${url}`);
});

t.test('each access level and sales role is allowed exactly its permissions', async (t) => {
  const levels: AccessLevel[] = ['admin', 'analyst', 'employee'];
  const roles: SalesRole[] = ['sales_rep', 'head', 'quality_control'];
  const allowed: Record<AccessLevel, Permission[]> = {
    admin: ['public', 'self', 'signed_in', 'calls', 'read', 'simulate', 'write'],
    analyst: ['public', 'self', 'signed_in', 'calls', 'read', 'simulate'],
    employee: ['public', 'self', 'signed_in', 'calls'],
  };
  const all: Permission[] = ['public', 'self', 'signed_in', 'calls', 'read', 'simulate', 'write'];
  for (const level of levels) {
    for (const role of roles) {
      for (const permission of all) {
        const d = decide(employee(level, role), permission);
        t.equal(d.allow, allowed[level].includes(permission), `${level}/${role} ${permission}`);
        if (!d.allow) t.equal(d.code, 'FORBIDDEN');
      }
    }
  }
  for (const permission of all) t.ok(decide(apiKey, permission).allow, `an API key may ${permission}`);
});

t.test('an employee who must change their password may only reach their own routes', async (t) => {
  const admin = employee('admin', 'quality_control', true);
  t.ok(decide(admin, 'self').allow);
  for (const permission of ['signed_in', 'calls', 'read', 'simulate', 'write'] as const) {
    t.match(decide(admin, permission), { allow: false, code: 'PASSWORD_CHANGE_REQUIRED' }, permission);
  }
});

t.test('call visibility: sales reps and the employee level see their own clients, the others everything', async (t) => {
  const cases: Array<[AccessLevel, SalesRole, 'all' | 'own']> = [
    ['admin', 'sales_rep', 'all'],
    ['admin', 'head', 'all'],
    ['admin', 'quality_control', 'all'],
    ['analyst', 'sales_rep', 'own'],
    ['analyst', 'head', 'all'],
    ['analyst', 'quality_control', 'all'],
    ['employee', 'sales_rep', 'own'],
    ['employee', 'head', 'own'],
    ['employee', 'quality_control', 'own'],
  ];
  for (const [level, role, want] of cases) {
    const scope = callScope(employee(level, role));
    t.same(scope, want === 'all' ? { all: true } : { all: false, employeeId: 7 }, `${level}/${role}`);
  }
  t.same(callScope(apiKey), { all: true }, 'an API key sees every call');
});

t.test('only heads may watch every missed call', async (t) => {
  t.ok(mayWatchEveryMissedCall(employee('employee', 'head')));
  t.notOk(mayWatchEveryMissedCall(employee('admin', 'quality_control')));
  t.notOk(mayWatchEveryMissedCall(employee('analyst', 'sales_rep')));
  t.notOk(mayWatchEveryMissedCall(apiKey));
});
