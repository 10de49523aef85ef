import t from 'tap';
import { employeeChangeRefusal, type EmployeeChange, type EmployeeFacts } from '../../../src/employees/dependants.ts';

const nothing: EmployeeFacts = { id: 7, isSeniorManager: false, schemesWithSeniorManagerStep: [], crmSyncOn: false, callerIdNumbers: [] };
const scheme = { id: 3, name: 'Main' };
const number = { id: 11, number: '+380441112233' };

t.test('what a deletion or demotion would leave without the employee', async (t) => {
  const cases: Array<[string, EmployeeChange, Partial<EmployeeFacts>, string | undefined, string[]]> = [
    ['an ordinary employee is deleted freely', 'delete', {}, undefined, []],
    ['a senior manager nothing relies on is deleted freely', 'delete', { isSeniorManager: true }, undefined, []],
    ['a senior-manager step elsewhere does not tie an ordinary employee', 'delete', { schemesWithSeniorManagerStep: [scheme], crmSyncOn: true }, undefined, []],
    ['deleting the senior manager a scheme rings', 'delete', { isSeniorManager: true, schemesWithSeniorManagerStep: [scheme] }, 'SENIOR_MANAGER_NEEDED', ['routing_scheme 3']],
    ['demoting the senior manager a scheme rings', 'demote', { isSeniorManager: true, schemesWithSeniorManagerStep: [scheme] }, 'SENIOR_MANAGER_NEEDED', ['routing_scheme 3']],
    ['deleting the senior manager while CRM sync is on', 'delete', { isSeniorManager: true, crmSyncOn: true }, 'SENIOR_MANAGER_NEEDED', ['crm_sync null']],
    ['demoting the senior manager while CRM sync is on', 'demote', { isSeniorManager: true, crmSyncOn: true }, 'SENIOR_MANAGER_NEEDED', ['crm_sync null']],
    ['deleting a caller-id employee', 'delete', { callerIdNumbers: [number] }, 'EMPLOYEE_IS_CALLER_ID', ['tracking_number 11']],
    ['demoting leaves caller ids alone', 'demote', { isSeniorManager: true, callerIdNumbers: [number] }, undefined, []],
    [
      'everything at once is one refusal naming all',
      'delete',
      { isSeniorManager: true, schemesWithSeniorManagerStep: [scheme, { id: 4, name: 'Night' }], crmSyncOn: true, callerIdNumbers: [number] },
      'SENIOR_MANAGER_NEEDED',
      ['routing_scheme 3', 'routing_scheme 4', 'crm_sync null', 'tracking_number 11'],
    ],
  ];
  for (const [name, change, facts, code, dependants] of cases) {
    const r = employeeChangeRefusal(change, { ...nothing, ...facts });
    t.equal(r?.code, code, name);
    t.same(r?.dependants.map((d) => `${d.kind} ${String(d.id)}`) ?? [], dependants, `${name}: dependants`);
  }
});

t.test('the refusal names the dependants in a sentence and says how to proceed', async (t) => {
  const r = employeeChangeRefusal('delete', { ...nothing, isSeniorManager: true, schemesWithSeniorManagerStep: [scheme], crmSyncOn: true });
  t.match(r?.message, /^Deleting employee 7, the senior manager, would leave these without one: routing scheme "Main" \(id 3\) has a senior-manager step.*; CRM sync gives/);
  t.match(r?.message, /\?force=true\.$/);
  const c = employeeChangeRefusal('delete', { ...nothing, callerIdNumbers: [number] });
  t.match(c?.message, /tracking number "\+380441112233" \(id 11\) is this employee's caller id/);
});
