// Mapping an employee to a CRM owner: the owner must be one HubSpot has (when CRM
// sync is on), and one owner belongs to one employee.
import t from 'tap';
import { checkOwnerMapping, type OwnerMappingFacts } from '../../../src/crm/owner-mapping.ts';

const base: OwnerMappingFacts = { ownerId: '101', employeeId: 7, owner: { id: '101', archived: false }, ownersInMirror: 5, crmOn: true, takenBy: undefined };

t.test('checkOwnerMapping', async (t) => {
  const table: Array<[string, Partial<OwnerMappingFacts>, RegExp | null, string?]> = [
    ['a known, active owner nobody else has', {}, null],
    ['clearing the mapping', { ownerId: null, owner: undefined }, null],
    ['an owner the mirror does not know', { owner: undefined }, /not one of HubSpot's owners/, 'REFERENCE_NOT_FOUND'],
    ['a deactivated owner', { owner: { id: '101', archived: true } }, /deactivated/, 'REFERENCE_NOT_FOUND'],
    ['a mirror never refreshed: nothing to check against', { owner: undefined, ownersInMirror: 0 }, /Refresh CRM data/, 'REFERENCE_NOT_FOUND'],
    ['CRM sync off: any id (no mirror to check)', { owner: undefined, ownersInMirror: 0, crmOn: false }, null],
    ['an owner mapped to another employee, named', { takenBy: { id: 3, name: 'Ana García' } }, /employee 3 \(Ana García\)/, 'CRM_OWNER_TAKEN'],
    ['an owner mapped to another employee, CRM off too', { crmOn: false, takenBy: { id: 3, name: 'Ana García' } }, /already mapped/, 'CRM_OWNER_TAKEN'],
    ['a new employee and a taken owner', { employeeId: null, takenBy: { id: 3, name: 'Ana' } }, /already mapped/, 'CRM_OWNER_TAKEN'],
    ['the same employee keeps their owner', { takenBy: { id: 7, name: 'Self' } }, null],
  ];
  for (const [name, over, message, code] of table) {
    const problem = checkOwnerMapping({ ...base, ...over });
    if (message === null) t.equal(problem, null, name);
    else t.match(problem, { code, message }, name);
  }
});
