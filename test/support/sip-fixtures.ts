// Data for SIP end-to-end tests, written straight into the test database.
import { createHash } from 'node:crypto';
import type { Pool } from '../../src/db/pool.ts';

export async function employee(
  pool: Pool,
  name: string,
  opts: { extension?: string; role?: 'sales_rep' | 'head' | 'quality_control'; newClients?: boolean; senior?: boolean; ownerId?: string } = {},
): Promise<number> {
  const { rows } = await pool.query<{ id: number }>(
    `INSERT INTO employees (email, full_name, sales_role, extension, receives_new_clients, is_senior_manager, hubspot_owner_id)
     VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
    [`${name.toLowerCase()}@example.com`, name, opts.role ?? 'sales_rep', opts.extension ?? null, opts.newClients ?? false, opts.senior ?? false, opts.ownerId ?? null],
  );
  return rows[0]!.id;
}

export async function sipUriDestination(pool: Pool, employeeId: number, uri: string, position = 0): Promise<void> {
  await pool.query(
    `INSERT INTO employee_destinations (employee_id, role, position, type, sip_uri) VALUES ($1, 'main', $2, 'sip_uri', $3)`,
    [employeeId, position, uri],
  );
}

type StepSpec =
  | { type: 'employees'; employeeIds: number[]; strategy?: 'simultaneous' | 'sequential'; timeoutS?: number }
  | { type: 'responsible_manager'; timeoutS?: number }
  | { type: 'new_client_distribution'; mode: 'ring_all' | 'round_robin'; timeoutS?: number }
  | { type: 'senior_manager'; timeoutS?: number };

export async function scheme(pool: Pool, name: string, steps: StepSpec[]): Promise<number> {
  const { rows } = await pool.query<{ id: number }>('INSERT INTO routing_schemes (name) VALUES ($1) RETURNING id', [name]);
  const schemeId = rows[0]!.id;
  for (const [i, s] of steps.entries()) {
    const { rows: step } = await pool.query<{ id: number }>(
      `INSERT INTO routing_steps (scheme_id, position, type, ring_timeout_s, lookup_order, ring_strategy, distribution_mode)
       VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
      [
        schemeId,
        i,
        s.type,
        s.timeoutS ?? 5,
        s.type === 'responsible_manager' ? ['contact_owner', 'deal_owner'] : null,
        s.type === 'employees' ? (s.strategy ?? 'simultaneous') : null,
        s.type === 'new_client_distribution' ? s.mode : null,
      ],
    );
    if (s.type === 'employees') {
      for (const [j, id] of s.employeeIds.entries()) {
        await pool.query('INSERT INTO routing_step_employees (step_id, employee_id, position) VALUES ($1, $2, $3)', [step[0]!.id, id, j]);
      }
    }
  }
  return schemeId;
}

export async function staticNumber(pool: Pool, number: string, schemeId: number, source = 'Billboard'): Promise<number> {
  const { rows } = await pool.query<{ id: number }>(
    `INSERT INTO tracking_numbers (number, kind, source_name, utm_source, routing_scheme_id) VALUES ($1, 'static', $2, 'billboard', $3) RETURNING id`,
    [number, source, schemeId],
  );
  return rows[0]!.id;
}

export async function lastCall(pool: Pool) {
  const { rows } = await pool.query(
    `SELECT id, direction, caller, callee, disposition, answered_by_employee_id, placed_by_employee_id, routing_trace,
            ring_duration_ms, talk_duration_ms, attribution, answered_at, crm_sync_state
       FROM calls ORDER BY created_at DESC LIMIT 1`,
  );
  return rows[0];
}

/** Calls are written at hang-up, a moment after sipp has finished. */
export async function waitForCalls(pool: Pool, n: number, timeoutMs = 10_000): Promise<void> {
  const start = Date.now();
  for (;;) {
    const { rows } = await pool.query<{ n: number }>('SELECT count(*)::int AS n FROM calls');
    if ((rows[0]?.n ?? 0) >= n) return;
    if (Date.now() - start > timeoutMs) throw new Error(`expected ${n} call rows, found ${rows[0]?.n ?? 0}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** A ringpath SIP account as a main destination of the employee (digests only, like the API stores). */
export async function sipAccount(pool: Pool, employeeId: number, login: string, password: string, realm = 'ringpath.local'): Promise<number> {
  const md5 = createHash('md5').update(`${login}:${realm}:${password}`).digest('hex');
  const sha = createHash('sha256').update(`${login}:${realm}:${password}`).digest('hex');
  const { rows } = await pool.query<{ id: number }>(
    'INSERT INTO sip_accounts (employee_id, login, realm, ha1_md5, ha1_sha256) VALUES ($1, $2, $3, $4, $5) RETURNING id',
    [employeeId, login, realm, md5, sha],
  );
  const id = rows[0]!.id;
  const { rows: pos } = await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM employee_destinations WHERE employee_id = $1 AND role = 'main'`, [employeeId]);
  await pool.query(
    `INSERT INTO employee_destinations (employee_id, role, position, type, sip_account_id) VALUES ($1, 'main', $2, 'sip_account', $3)`,
    [employeeId, pos[0]!.n, id],
  );
  return id;
}
