// Employees, their ordered destinations and their ringpath SIP accounts (digests only).
import type { SipDigests } from '../../auth/sip-credentials.ts';
import type { PageOf } from '../../http/schemas/common.ts';
import type { Queryable } from '../pool.ts';

export type AccessLevel = 'admin' | 'analyst' | 'employee';
export type SalesRole = 'sales_rep' | 'head' | 'quality_control';
export type DestinationRole = 'main' | 'additional';
export const DESTINATION_ROLES: readonly DestinationRole[] = ['main', 'additional'];

export interface EmployeeValues {
  email: string;
  full_name: string;
  access_level: AccessLevel;
  sales_role: SalesRole;
  extension: string | null;
  hubspot_owner_id: string | null;
  receives_new_clients: boolean;
  is_senior_manager: boolean;
}

export interface EmployeeRow extends EmployeeValues {
  id: number;
  created_at: Date;
  updated_at: Date;
}

/** A destination as stored; a SIP account is shown by id and login, never by its digests. */
export type StoredDestination =
  | { type: 'phone'; phone: string }
  | { type: 'sip_uri'; uri: string }
  | { type: 'sip_account'; sip_account_id: number; login: string };

export interface EmployeeRecord extends EmployeeRow {
  destinations: Record<DestinationRole, StoredDestination[]>;
}

/** What happens to the SIP account behind a sip_account destination. */
export type SipAccountWrite =
  | { kind: 'keep'; id: number }
  | { kind: 'rekey'; id: number; login: string; digests: SipDigests }
  | { kind: 'create'; login: string; digests: SipDigests };

export type DestinationWrite =
  | { type: 'phone'; phone: string }
  | { type: 'sip_uri'; uri: string }
  | { type: 'sip_account'; account: SipAccountWrite };

const COLUMNS =
  'id, email, full_name, access_level, sales_role, extension, hubspot_owner_id, receives_new_clients, is_senior_manager, created_at, updated_at';
const UPDATABLE: ReadonlyArray<keyof EmployeeValues> = [
  'email', 'full_name', 'access_level', 'sales_role', 'extension', 'hubspot_owner_id', 'receives_new_clients', 'is_senior_manager',
];
// Serialises moves of the senior manager flag (any constant key shared by all processes).
const SENIOR_MANAGER_LOCK = 'ringpath:senior_manager';

interface DestinationJoinRow {
  employee_id: number;
  role: DestinationRole;
  type: StoredDestination['type'];
  phone: string | null;
  sip_uri: string | null;
  sip_account_id: number | null;
  login: string | null;
}

function toStored(r: DestinationJoinRow): StoredDestination {
  if (r.type === 'phone') return { type: 'phone', phone: r.phone! };
  if (r.type === 'sip_uri') return { type: 'sip_uri', uri: r.sip_uri! };
  return { type: 'sip_account', sip_account_id: r.sip_account_id!, login: r.login! };
}

async function withDestinations(db: Queryable, rows: EmployeeRow[]): Promise<EmployeeRecord[]> {
  if (rows.length === 0) return [];
  const { rows: dests } = await db.query<DestinationJoinRow>(
    `SELECT d.employee_id, d.role, d.type, d.phone, d.sip_uri, d.sip_account_id, s.login
       FROM employee_destinations d LEFT JOIN sip_accounts s ON s.id = d.sip_account_id
      WHERE d.employee_id = ANY($1::bigint[]) ORDER BY d.employee_id, d.role, d.position`,
    [rows.map((r) => r.id)],
  );
  return rows.map((r) => {
    const destinations: EmployeeRecord['destinations'] = { main: [], additional: [] };
    for (const d of dests) if (d.employee_id === r.id) destinations[d.role].push(toStored(d));
    return { ...r, destinations };
  });
}

async function writeSipAccount(db: Queryable, employeeId: number, a: SipAccountWrite): Promise<number> {
  if (a.kind === 'keep') return a.id;
  if (a.kind === 'rekey') {
    await db.query('UPDATE sip_accounts SET login = $3, realm = $4, ha1_md5 = $5, ha1_sha256 = $6 WHERE id = $1 AND employee_id = $2', [
      a.id, employeeId, a.login, a.digests.realm, a.digests.ha1_md5, a.digests.ha1_sha256,
    ]);
    return a.id;
  }
  const { rows } = await db.query<{ id: number }>(
    'INSERT INTO sip_accounts (employee_id, login, realm, ha1_md5, ha1_sha256) VALUES ($1, $2, $3, $4, $5) RETURNING id',
    [employeeId, a.login, a.digests.realm, a.digests.ha1_md5, a.digests.ha1_sha256],
  );
  return rows[0]!.id;
}

export const employeesRepository = {
  async list(db: Queryable, limit: number, offset: number): Promise<PageOf<EmployeeRecord>> {
    const [items, count] = await Promise.all([
      db.query<EmployeeRow>(`SELECT ${COLUMNS} FROM employees ORDER BY id LIMIT $1 OFFSET $2`, [limit, offset]),
      db.query<{ n: number }>('SELECT count(*)::int AS n FROM employees'),
    ]);
    return { items: await withDestinations(db, items.rows), total: count.rows[0]!.n, limit, offset };
  },

  /** One employee with destinations; `lock` takes a row lock for the rest of the transaction. */
  async get(db: Queryable, id: number, opts: { lock?: boolean } = {}): Promise<EmployeeRecord | undefined> {
    const { rows } = await db.query<EmployeeRow>(`SELECT ${COLUMNS} FROM employees WHERE id = $1${opts.lock ? ' FOR UPDATE' : ''}`, [id]);
    return (await withDestinations(db, rows))[0];
  },

  async create(db: Queryable, v: EmployeeValues): Promise<EmployeeRow> {
    const { rows } = await db.query<EmployeeRow>(
      `INSERT INTO employees (email, full_name, access_level, sales_role, extension, hubspot_owner_id, receives_new_clients, is_senior_manager)
       VALUES (lower($1), $2, $3, $4, $5, $6, $7, $8) RETURNING ${COLUMNS}`,
      [v.email, v.full_name, v.access_level, v.sales_role, v.extension, v.hubspot_owner_id, v.receives_new_clients, v.is_senior_manager],
    );
    return rows[0]!;
  },

  /** Sets the given fields (null clears a nullable one) and bumps updated_at. */
  async update(db: Queryable, id: number, v: Partial<EmployeeValues>): Promise<boolean> {
    const sets: string[] = ['updated_at = now()'];
    const params: unknown[] = [id];
    for (const column of UPDATABLE) {
      if (v[column] === undefined) continue;
      params.push(v[column]);
      sets.push(column === 'email' ? `email = lower($${params.length})` : `${column} = $${params.length}`);
    }
    const { rowCount } = await db.query(`UPDATE employees SET ${sets.join(', ')} WHERE id = $1`, params);
    return (rowCount ?? 0) > 0;
  },

  /** Which employees hold these SIP logins (compared case-insensitively). */
  async sipLoginOwners(db: Queryable, logins: readonly string[]): Promise<Array<{ login: string; employee_id: number }>> {
    if (logins.length === 0) return [];
    const { rows } = await db.query<{ login: string; employee_id: number }>(
      'SELECT login, employee_id FROM sip_accounts WHERE lower(login) = ANY($1::text[])',
      [logins.map((l) => l.toLowerCase())],
    );
    return rows;
  },

  /**
   * Replaces the destination lists given (a role left out keeps its list), writes the
   * SIP accounts they use, and deletes this employee's SIP accounts that no destination
   * uses any more. Run it in a transaction.
   */
  async replaceDestinations(db: Queryable, employeeId: number, lists: Partial<Record<DestinationRole, readonly DestinationWrite[]>>): Promise<void> {
    const roles = DESTINATION_ROLES.filter((r) => lists[r] !== undefined);
    if (roles.length === 0) return;
    await db.query('DELETE FROM employee_destinations WHERE employee_id = $1 AND role = ANY($2::destination_role[])', [employeeId, roles]);
    const kept = roles.flatMap((r) => lists[r]!).flatMap((d) => (d.type === 'sip_account' && d.account.kind !== 'create' ? [d.account.id] : []));
    // before creating accounts, so a login dropped here can be taken again in the same request
    await db.query(
      `DELETE FROM sip_accounts s WHERE s.employee_id = $1 AND NOT (s.id = ANY($2::bigint[]))
          AND NOT EXISTS (SELECT 1 FROM employee_destinations d WHERE d.sip_account_id = s.id)`,
      [employeeId, kept],
    );
    for (const role of roles) {
      for (const [position, d] of lists[role]!.entries()) {
        const sipAccountId = d.type === 'sip_account' ? await writeSipAccount(db, employeeId, d.account) : null;
        await db.query(
          `INSERT INTO employee_destinations (employee_id, role, position, type, phone, sip_account_id, sip_uri)
           VALUES ($1, $2, $3, $4, $5, $6, $7)`,
          [employeeId, role, position, d.type, d.type === 'phone' ? d.phone : null, sipAccountId, d.type === 'sip_uri' ? d.uri : null],
        );
      }
    }
  },

  /** Names of the routing schemes with a step that rings this employee. */
  async schemesUsing(db: Queryable, id: number): Promise<string[]> {
    const { rows } = await db.query<{ name: string }>(
      `SELECT DISTINCT s.name FROM routing_step_employees e JOIN routing_steps st ON st.id = e.step_id
         JOIN routing_schemes s ON s.id = st.scheme_id WHERE e.employee_id = $1 ORDER BY s.name`,
      [id],
    );
    return rows.map((r) => r.name);
  },

  /** Routing schemes with a senior_manager step (they ring whoever is the senior manager). */
  async schemesWithSeniorManagerStep(db: Queryable): Promise<Array<{ id: number; name: string }>> {
    const { rows } = await db.query<{ id: number; name: string }>(
      `SELECT DISTINCT s.id, s.name FROM routing_schemes s JOIN routing_steps st ON st.scheme_id = s.id
        WHERE st.type = 'senior_manager' ORDER BY s.id`,
    );
    return rows;
  },

  /** Tracking numbers shown as this employee's caller id. */
  async callerIdNumbers(db: Queryable, id: number): Promise<Array<{ id: number; number: string }>> {
    const { rows } = await db.query<{ id: number; number: string }>(
      'SELECT id, number FROM tracking_numbers WHERE caller_id_for_employee_id = $1 ORDER BY id',
      [id],
    );
    return rows;
  },

  /** Moves the senior manager flag to this employee; false when there is no such employee. Run it in a transaction. */
  async makeSeniorManager(db: Queryable, id: number): Promise<boolean> {
    await db.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [SENIOR_MANAGER_LOCK]);
    const { rowCount } = await db.query('SELECT 1 FROM employees WHERE id = $1 FOR UPDATE', [id]);
    if (!rowCount) return false;
    await db.query('UPDATE employees SET is_senior_manager = false, updated_at = now() WHERE is_senior_manager AND id <> $1', [id]);
    await db.query('UPDATE employees SET is_senior_manager = true, updated_at = now() WHERE id = $1 AND NOT is_senior_manager', [id]);
    return true;
  },

  /** Deletes the employee with their destinations and SIP accounts. */
  async remove(db: Queryable, id: number): Promise<boolean> {
    const { rowCount } = await db.query('DELETE FROM employees WHERE id = $1', [id]);
    return (rowCount ?? 0) > 0;
  },
};
