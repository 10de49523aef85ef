import t from 'tap';
import { poolNumbersWarnings, trackingNumberWarnings, type TrackingNumberFacts } from '../../../src/tracking/warnings.ts';

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

t.test('numbers added to a pool together: one NO_ROUTING_SCHEME for all, and each employee destination', async (t) => {
  const numbers = ['+380441110001', '+380441110002', '+380441110003'];
  const rung = new Map([['+380441110002', [ana]]]);
  const cases: Array<[string, number | null, ReadonlyMap<string, Array<{ id: number; full_name: string }>>, string[]]> = [
    ['a pool with a scheme, nobody rung on them', 7, new Map(), []],
    ['a pool without a scheme', null, new Map(), ['NO_ROUTING_SCHEME']],
    ['one of them an employee destination', 7, rung, ['NUMBER_IS_EMPLOYEE_DESTINATION']],
    ['both', null, rung, ['NO_ROUTING_SCHEME', 'NUMBER_IS_EMPLOYEE_DESTINATION']],
  ];
  for (const [name, scheme, employees, codes] of cases) t.same(poolNumbersWarnings(numbers, scheme, employees).map((w) => w.code), codes, name);
  t.match(poolNumbersWarnings(numbers, null, new Map())[0]?.message, /the 3 numbers added ring nobody/);
  t.match(poolNumbersWarnings(numbers, 7, rung)[0]?.message, /^\+380441110002 is also a destination of employee "Ana"/);
});
