// Employees as CSV (SPEC §8): the columns, a CSV row read into the body of
// POST /api/v1/employees, and an employee written back as a row. Pure; the CSV
// text itself is read and written by csv-parse and csv-stringify.
import type { FieldProblem } from '../errors.ts';

export const EMPLOYEE_CSV_COLUMNS = [
  'email',
  'full_name',
  'extension',
  'access_level',
  'sales_role',
  'is_senior_manager',
  'receives_new_clients',
  'hubspot_owner_id',
  'phones',
  'sip_uris',
] as const;
export type EmployeeCsvColumn = (typeof EMPLOYEE_CSV_COLUMNS)[number];

/** `phones` and `sip_uris` hold several values separated by ";" (rung in that order: phones, then SIP URIs). */
const LIST_SEPARATOR = ';';

/** What is wrong with the header row, if anything: unknown or repeated columns, or email / full_name missing. */
export function headerProblems(header: readonly string[]): string[] {
  const names = header.map((h) => h.trim().toLowerCase());
  const problems: string[] = [];
  const unknown = names.filter((n) => !(EMPLOYEE_CSV_COLUMNS as readonly string[]).includes(n));
  if (unknown.length) problems.push(`unknown column(s) ${unknown.map((u) => JSON.stringify(u)).join(', ')}; the columns are ${EMPLOYEE_CSV_COLUMNS.join(', ')}`);
  const repeated = names.filter((n, i) => names.indexOf(n) !== i);
  if (repeated.length) problems.push(`column(s) ${[...new Set(repeated)].join(', ')} appear more than once`);
  for (const required of ['email', 'full_name']) if (!names.includes(required)) problems.push(`the ${required} column is missing`);
  return problems;
}

const BOOLEAN: Record<string, boolean> = { true: true, yes: true, '1': true, false: false, no: false, '0': false };

export type RowResult = { readonly body: Record<string, unknown> } | { readonly errors: FieldProblem[] };

/** One data row as the body of POST /api/v1/employees; an empty cell leaves the field out. */
export function rowToEmployee(header: readonly string[], cells: readonly string[]): RowResult {
  const names = header.map((h) => h.trim().toLowerCase() as EmployeeCsvColumn);
  const value = (c: EmployeeCsvColumn): string | undefined => {
    const i = names.indexOf(c);
    const v = i >= 0 ? cells[i]?.trim() : undefined;
    return v ? v : undefined;
  };
  const errors: FieldProblem[] = [];
  if (cells.length !== header.length) errors.push({ field: 'row', message: `has ${cells.length} cells; the header has ${header.length}` });
  const body: Record<string, unknown> = {};
  for (const c of ['email', 'full_name', 'extension', 'access_level', 'sales_role', 'hubspot_owner_id'] as const) {
    const v = value(c);
    if (v !== undefined) body[c] = c === 'access_level' || c === 'sales_role' ? v.toLowerCase() : v;
  }
  for (const c of ['is_senior_manager', 'receives_new_clients'] as const) {
    const v = value(c);
    if (v === undefined) continue;
    const b = BOOLEAN[v.toLowerCase()];
    if (b === undefined) errors.push({ field: c, message: `${JSON.stringify(v)} is not yes or no (true/false, 1/0)` });
    else body[c] = b;
  }
  const list = (c: 'phones' | 'sip_uris') => (value(c) ?? '').split(LIST_SEPARATOR).map((s) => s.trim()).filter(Boolean);
  const destinations = [
    ...list('phones').map((number) => ({ type: 'phone', number })),
    ...list('sip_uris').map((uri) => ({ type: 'sip_uri', uri })),
  ];
  if (destinations.length) body.main_destinations = destinations;
  return errors.length ? { errors } : { body };
}

/** The CSV column an API error's field (a JSON pointer into the body) belongs to. */
export function columnOf(pointer: string, phones: number): string {
  const m = /^\/main_destinations\/(\d+)/.exec(pointer);
  if (m) return Number(m[1]) < phones ? `phones[${Number(m[1]) + 1}]` : `sip_uris[${Number(m[1]) - phones + 1}]`;
  const name = pointer.replace(/^\//, '').split('/')[0] ?? pointer;
  return name === '' ? 'row' : name;
}

interface ExportedEmployee {
  email: string;
  full_name: string;
  extension: string | null;
  access_level: string;
  sales_role: string;
  is_senior_manager: boolean;
  receives_new_clients: boolean;
  hubspot_owner_id: string | null;
  main_destinations: ReadonlyArray<{ type: string; number?: string; uri?: string }>;
}

/** An employee as a CSV row, in EMPLOYEE_CSV_COLUMNS order (SIP accounts are left out: their passwords cannot be exported). */
export function employeeToRow(e: ExportedEmployee): string[] {
  return [
    e.email,
    e.full_name,
    e.extension ?? '',
    e.access_level,
    e.sales_role,
    e.is_senior_manager ? 'yes' : 'no',
    e.receives_new_clients ? 'yes' : 'no',
    e.hubspot_owner_id ?? '',
    e.main_destinations.filter((d) => d.type === 'phone').map((d) => d.number).join(LIST_SEPARATOR),
    e.main_destinations.filter((d) => d.type === 'sip_uri').map((d) => d.uri).join(LIST_SEPARATOR),
  ];
}
