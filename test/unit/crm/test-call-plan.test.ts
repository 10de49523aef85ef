// Which call a test call to the CRM stores for each row of the post-call table,
// and the HubSpot links to what it wrote.
import t from 'tap';
import { hubspotRecordUrl, planTestCall, type TestCallFacts } from '../../../src/crm/test-calls/plan.ts';
import { createdRecords } from '../../../src/crm/test-calls/store.ts';

const base: TestCallFacts = {
  row: 'inbound_answered_new',
  caller: null,
  callerContact: null,
  lastTestContact: null,
  mappedEmployeeId: 7,
  freshNumber: '+380990000001',
};
const known = { phone: '+380501112233', ownerEmployeeId: 3 };

const cases: Array<[string, Partial<TestCallFacts>, ReturnType<typeof planTestCall>]> = [
  ['new answered: a fresh number, answered by the mapped employee', {}, { ok: true, spec: { direction: 'inbound', client: '+380990000001', answered: true, employeeId: 7 } }],
  ['new missed: nobody answers', { row: 'inbound_missed_new' }, { ok: true, spec: { direction: 'inbound', client: '+380990000001', answered: false, employeeId: null } }],
  ['new with a caller HubSpot does not know', { caller: '+380671112233' }, { ok: true, spec: { direction: 'inbound', client: '+380671112233', answered: true, employeeId: 7 } }],
  ['new with a caller HubSpot knows: refused', { caller: '+380671112233', callerContact: { ownerEmployeeId: 3 } }, { ok: false, field: '/caller', message: '+380671112233 has a contact in the CRM mirror: a new-client row needs a number HubSpot does not know' }],
  ['existing answered: the last test contact, answered by its owner', { row: 'inbound_answered_responsible', lastTestContact: known }, { ok: true, spec: { direction: 'inbound', client: '+380501112233', answered: true, employeeId: 3 } }],
  ['existing answered, the owner mapped to nobody: the mapped employee', { row: 'inbound_answered_responsible', lastTestContact: { phone: known.phone, ownerEmployeeId: null } }, { ok: true, spec: { direction: 'inbound', client: '+380501112233', answered: true, employeeId: 7 } }],
  ['existing missed with a known caller', { row: 'inbound_missed_existing', caller: '+380671112233', callerContact: { ownerEmployeeId: 3 } }, { ok: true, spec: { direction: 'inbound', client: '+380671112233', answered: false, employeeId: null } }],
  ['existing with an unknown caller: refused', { row: 'inbound_missed_existing', caller: '+380671112233' }, { ok: false, field: '/caller', message: '+380671112233 has no contact in the CRM mirror: an existing-client row needs the number of a known contact' }],
  ['existing with no contact at all: refused', { row: 'inbound_missed_existing' }, { ok: false, field: '/caller', message: 'an existing-client row needs a known contact: run a new-client test call first, or give caller, the number of a contact in the CRM mirror' }],
  ['outbound new: placed by the mapped employee', { row: 'outbound_new' }, { ok: true, spec: { direction: 'outbound', client: '+380990000001', answered: true, employeeId: 7 } }],
  ['outbound existing: placed by the owner', { row: 'outbound_existing', lastTestContact: known }, { ok: true, spec: { direction: 'outbound', client: '+380501112233', answered: true, employeeId: 3 } }],
  ['answered with nobody mapped to an owner: refused', { mappedEmployeeId: null }, { ok: false, field: '/row', message: 'an answered or outbound test call needs an employee mapped to a HubSpot owner: map one on the Employees page' }],
  ['missed needs nobody mapped', { row: 'inbound_missed_new', mappedEmployeeId: null }, { ok: true, spec: { direction: 'inbound', client: '+380990000001', answered: false, employeeId: null } }],
];

for (const [name, facts, want] of cases) {
  t.test(name, async (t) => t.same(planTestCall({ ...base, ...facts }), want));
}

t.test('links to HubSpot records by portal and object type id; none without a portal id', async (t) => {
  t.equal(hubspotRecordUrl(42, 'contact', '101'), 'https://app.hubspot.com/contacts/42/record/0-1/101');
  t.equal(hubspotRecordUrl(42, 'deal', '102'), 'https://app.hubspot.com/contacts/42/record/0-3/102');
  t.equal(hubspotRecordUrl(42, 'call', '103'), 'https://app.hubspot.com/contacts/42/record/0-48/103');
  t.equal(hubspotRecordUrl(42, 'task', '104'), 'https://app.hubspot.com/contacts/42/record/0-27/104');
  t.equal(hubspotRecordUrl(null, 'contact', '101'), null);
});

t.test('what deleting a test call archives: what it created, engagements first, the contact last, nothing it reused', async (t) => {
  t.same(
    createdRecords([
      { key: 'contact', type: 'contact', id: '1', reused: false },
      { key: 'deal', type: 'deal', id: '2', reused: true },
      { key: 'call', type: 'call', id: '3', reused: false },
      { key: 'task', type: 'task', id: '4', reused: false },
      { key: 'completed_task', type: 'task', id: '4', reused: false },
    ]).map((r) => `${r.type}:${r.id}`),
    ['task:4', 'call:3', 'contact:1'],
  );
});
