// Who is told about which missed calls.
import t from 'tap';
import type { Principal, SalesRole } from '../../../src/auth/access.ts';
import { fingerprint, mayNotifyEveryMissedCall, notifyScope } from '../../../src/console/notifications.ts';

const employee = (salesRole: SalesRole): Principal => ({ kind: 'employee', id: 9, email: 'e@x', accessLevel: 'employee', salesRole, mustChangePassword: false });

t.test('every missed call only for a head who asked; otherwise their own; an API key none', async (t) => {
  const cases: Array<[string, Principal, boolean, ReturnType<typeof notifyScope>]> = [
    ['head, setting on', employee('head'), true, { kind: 'all' }],
    ['head, setting off', employee('head'), false, { kind: 'own', employeeId: 9 }],
    ['sales rep, setting somehow on', employee('sales_rep'), true, { kind: 'own', employeeId: 9 }],
    ['quality control', employee('quality_control'), true, { kind: 'own', employeeId: 9 }],
    ['API key', { kind: 'api_key', id: 1, name: 'k' }, true, { kind: 'none' }],
  ];
  for (const [name, p, on, want] of cases) t.same(notifyScope(p, on), want, name);
  t.ok(mayNotifyEveryMissedCall(employee('head')));
  t.notOk(mayNotifyEveryMissedCall(employee('sales_rep')));
  t.notOk(mayNotifyEveryMissedCall(employee('quality_control')));
});

t.test('the fingerprint changes when a notification comes, goes or comes back as a reminder', async (t) => {
  const n = (id: string, reminded = false) => ({ call_id: id, caller: null, started_at: '', source: '', tracking_number: null, reminded });
  t.equal(fingerprint([n('a')]), fingerprint([n('a')]));
  t.not(fingerprint([n('a')]), fingerprint([n('a'), n('b')]));
  t.not(fingerprint([n('a')]), fingerprint([n('a', true)]));
  t.equal(fingerprint([]), '');
});
