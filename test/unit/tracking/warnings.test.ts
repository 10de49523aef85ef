import t from 'tap';
import { trackingNumberWarnings, type TrackingNumberFacts } from '../../../src/tracking/warnings.ts';

const base: TrackingNumberFacts = { number: '+380441112233', kind: 'static', routingSchemeId: 1, poolSchemeId: null, employeesRungOnIt: [] };
const ana = { id: 4, full_name: 'Ana' };

t.test('warnings for a tracking number that is accepted but probably wrong', async (t) => {
  const cases: Array<[string, Partial<TrackingNumberFacts>, string[]]> = [
    ['a static number with a scheme', {}, []],
    ['a static number without a scheme', { routingSchemeId: null }, ['NO_ROUTING_SCHEME']],
    ["a pool number using its pool's scheme", { kind: 'pool', routingSchemeId: null, poolSchemeId: 2 }, []],
    ['a pool number with a scheme of its own', { kind: 'pool', routingSchemeId: 3, poolSchemeId: null }, []],
    ['a pool number with no scheme anywhere', { kind: 'pool', routingSchemeId: null, poolSchemeId: null }, ['NO_ROUTING_SCHEME']],
    ["an employee's destination", { employeesRungOnIt: [ana] }, ['NUMBER_IS_EMPLOYEE_DESTINATION']],
    ['both, each employee named', { routingSchemeId: null, employeesRungOnIt: [ana, { id: 5, full_name: 'Bo' }] }, ['NO_ROUTING_SCHEME', 'NUMBER_IS_EMPLOYEE_DESTINATION', 'NUMBER_IS_EMPLOYEE_DESTINATION']],
  ];
  for (const [name, facts, codes] of cases) t.same(trackingNumberWarnings({ ...base, ...facts }).map((w) => w.code), codes, name);
  t.match(trackingNumberWarnings({ ...base, employeesRungOnIt: [ana] })[0]?.message, /^\+380441112233 is also a destination of employee "Ana" \(id 4\)/);
  t.match(trackingNumberWarnings({ ...base, routingSchemeId: null })[0]?.message, /ring nobody.*set routing_scheme_id/);
});
