// Console users and their sessions for tests: an employee with a password, a
// logged-in session (cookie and CSRF token) driven by inject(), and calls
// stored straight into the call log.
import { randomUUID } from 'node:crypto';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import type { AccessLevel, SalesRole } from '../../src/auth/access.ts';
import { hashPassword } from '../../src/auth/password.ts';
import type { Queryable } from '../../src/db/pool.ts';

export const PASSWORD = 'correct horse battery';

export async function consoleUser(
  db: Queryable,
  opts: { email: string; accessLevel: AccessLevel; salesRole: SalesRole; password?: string; mustChange?: boolean; hubspotOwnerId?: string },
): Promise<number> {
  const { rows } = await db.query<{ id: string }>(
    `INSERT INTO employees (email, full_name, access_level, sales_role, password_hash, must_change_password, hubspot_owner_id)
     VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
    [
      opts.email,
      opts.email.split('@')[0],
      opts.accessLevel,
      opts.salesRole,
      await hashPassword(opts.password ?? PASSWORD),
      opts.mustChange ?? false,
      opts.hubspotOwnerId ?? null,
    ],
  );
  return Number(rows[0]!.id);
}

export interface ConsoleSession {
  readonly cookie: string;
  readonly csrf: string;
  readonly login: LightMyRequestResponse;
  get(url: string): Promise<LightMyRequestResponse>;
  send(method: 'POST' | 'PATCH' | 'PUT' | 'DELETE', url: string, body?: unknown, opts?: { csrf?: boolean }): Promise<LightMyRequestResponse>;
}

/** The session cookie's name=value from a response. */
export function sessionCookie(res: LightMyRequestResponse): string | undefined {
  const c = res.cookies.find((c) => c.name === 'ringpath_session');
  return c ? `${c.name}=${c.value}` : undefined;
}

export async function login(app: FastifyInstance, email: string, password = PASSWORD): Promise<ConsoleSession> {
  const res = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email, password } });
  if (res.statusCode !== 200) throw new Error(`login of ${email} failed: ${res.statusCode} ${res.body}`);
  const cookie = sessionCookie(res)!;
  const csrf = res.json().csrf_token as string;
  return {
    cookie,
    csrf,
    login: res,
    get: (url) => app.inject({ method: 'GET', url, headers: { cookie } }),
    send: (method, url, body, opts = {}) =>
      app.inject({
        method,
        url,
        headers: { cookie, ...(opts.csrf === false ? {} : { 'x-csrf-token': csrf }) },
        ...(body === undefined ? {} : { payload: body as object }),
      }),
  };
}

/** A finished inbound call in the call log. */
export async function storeCall(
  db: Queryable,
  opts: {
    caller: string;
    disposition?: 'answered' | 'missed';
    responsibleEmployeeId?: number | null;
    answeredByEmployeeId?: number | null;
    crmContactId?: string | null;
    startedAt?: Date;
    source?: string;
    recordingPath?: string | null;
  },
): Promise<string> {
  const id = randomUUID();
  const started = opts.startedAt ?? new Date('2026-06-01T10:00:00Z');
  const answered = (opts.disposition ?? 'answered') === 'answered';
  await db.query(
    `INSERT INTO calls (id, direction, caller, callee, tracking_number, attribution, answered_by_employee_id, responsible_employee_id,
       crm_contact_id, started_at, answered_at, ended_at, talk_duration_ms, disposition, recording_path, crm_sync_state)
     VALUES ($1, 'inbound', $2, '+380441110001', '+380441110001', $3, $4, $5, $6, $7, $8, $7::timestamptz + interval '1 minute', $9, $10, $11, 'not_required')`,
    [
      id,
      opts.caller,
      JSON.stringify({ confidence: 'static', label: opts.source ?? 'Billboard', source: opts.source ?? 'billboard' }),
      opts.answeredByEmployeeId ?? null,
      opts.responsibleEmployeeId ?? null,
      opts.crmContactId ?? null,
      started,
      answered ? started : null,
      answered ? 60000 : 0,
      answered ? 'answered' : 'missed',
      opts.recordingPath ?? null,
    ],
  );
  return id;
}
