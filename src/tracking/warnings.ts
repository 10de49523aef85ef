// What a saved tracking number probably gets wrong, though it is accepted: it rings
// nobody, or it is also a number an employee is rung on. Pure; the route reads the facts.
import type { Warning } from '../errors.ts';

export interface TrackingNumberFacts {
  readonly number: string;
  readonly kind: 'static' | 'pool';
  readonly routingSchemeId: number | null;
  /** the pool's routing scheme (pool numbers); null when it has none */
  readonly poolSchemeId: number | null;
  /** employees with this number among their destinations */
  readonly employeesRungOnIt: ReadonlyArray<{ readonly id: number; readonly full_name: string }>;
}

const destinationWarnings = (number: string, employees: TrackingNumberFacts['employeesRungOnIt']): Warning[] =>
  employees.map((e) => ({
    code: 'NUMBER_IS_EMPLOYEE_DESTINATION',
    message: `${number} is also a destination of employee ${JSON.stringify(e.full_name)} (id ${e.id}): calls forwarded to them would come back in as tracking calls`,
  }));

/**
 * Warnings for numbers added to a pool together: one NO_ROUTING_SCHEME for them all
 * (they share the pool's scheme), and each number an employee is rung on.
 */
export function poolNumbersWarnings(
  numbers: readonly string[],
  poolSchemeId: number | null,
  employeesRungOn: ReadonlyMap<string, TrackingNumberFacts['employeesRungOnIt']>,
): Warning[] {
  const warnings: Warning[] = [];
  if (poolSchemeId === null && numbers.length > 0) {
    warnings.push({
      code: 'NO_ROUTING_SCHEME',
      message: `calls to the ${numbers.length} numbers added ring nobody: the pool has no routing scheme; set its routing_scheme_id`,
    });
  }
  for (const number of numbers) warnings.push(...destinationWarnings(number, employeesRungOn.get(number) ?? []));
  return warnings;
}

export function trackingNumberWarnings(f: TrackingNumberFacts): Warning[] {
  const warnings: Warning[] = [];
  if (f.routingSchemeId === null && (f.kind === 'static' || f.poolSchemeId === null)) {
    warnings.push({
      code: 'NO_ROUTING_SCHEME',
      message:
        f.kind === 'static'
          ? `calls to ${f.number} ring nobody: it has no routing scheme; set routing_scheme_id`
          : `calls to ${f.number} ring nobody: neither it nor its pool has a routing scheme; set routing_scheme_id on one of them`,
    });
  }
  warnings.push(...destinationWarnings(f.number, f.employeesRungOnIt));
  return warnings;
}
