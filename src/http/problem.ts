// Every HTTP error is an RFC 9457 problem (application/problem+json).
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, type Dependant, type FieldProblem } from '../errors.ts';
import { fieldProblems } from './validation.ts';

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  instance?: string;
  errors?: FieldProblem[];
  /** what depends on the thing a refused change or delete would take away */
  dependants?: Dependant[];
}

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

export function problem(status: number, code: string, detail: string, errors?: FieldProblem[]): Problem {
  return {
    type: `https://ringpath.dev/problems/${code.toLowerCase().replace(/_/g, '-')}`,
    title: TITLES[status] ?? 'Error',
    status,
    detail,
    code,
    ...(errors && errors.length ? { errors } : {}),
  };
}

export function sendProblem(reply: FastifyReply, p: Problem): FastifyReply {
  return reply.code(p.status).type('application/problem+json').send(p);
}

// Unique constraints (Postgres names) → what the client did wrong. Routes check most
// of these first; the mapping covers a concurrent request that won the race.
export const UNIQUE_CONSTRAINTS: Record<string, { code: AppError['code']; field: string; message: string; detail?: string }> = {
  employees_email_key: { code: 'EMAIL_TAKEN', field: '/email', message: 'is already used by another employee' },
  employees_extension_key: { code: 'EXTENSION_TAKEN', field: '/extension', message: 'is already used by another employee' },
  employees_one_senior_manager: {
    code: 'SENIOR_MANAGER_EXISTS',
    field: '/is_senior_manager',
    message: 'another employee is already the senior manager',
    detail:
      'Another employee is already the senior manager, and there can be only one. ' +
      'To hand the role over, call POST /api/v1/employees/{id}/senior-manager for the new one.',
  },
  sip_accounts_login_key: { code: 'SIP_LOGIN_TAKEN', field: '/login', message: 'is already used by another SIP account' },
  routing_schemes_name_key: { code: 'SCHEME_NAME_TAKEN', field: '/name', message: 'is already used by another routing scheme' },
  tracking_numbers_number_key: { code: 'TRACKING_NUMBER_TAKEN', field: '/number', message: 'is already a tracking number' },
  sites_domain_key: { code: 'SITE_DOMAIN_TAKEN', field: '/domain', message: 'is already the domain of another site' },
  pools_site_id_key: { code: 'SITE_HAS_POOL', field: '/site_id', message: 'already has a pool; a site has at most one' },
};

// Foreign keys that block a delete (Postgres names) → what still depends on the record.
export const BLOCKING_REFERENCES: Record<string, { code: AppError['code']; detail: string }> = {
  pools_site_id_fkey: { code: 'SITE_HAS_POOL', detail: 'the site has a pool; delete the pool first' },
  pools_routing_scheme_id_fkey: { code: 'SCHEME_IN_USE', detail: 'a pool uses this routing scheme; point it at another scheme first' },
  tracking_numbers_routing_scheme_id_fkey: {
    code: 'SCHEME_IN_USE',
    detail: 'a tracking number uses this routing scheme; point it at another scheme first',
  },
  tracking_numbers_pool_id_fkey: { code: 'POOL_HAS_NUMBERS', detail: 'the pool still has numbers; delete them or move them to another pool first' },
  routing_step_employees_employee_id_fkey: {
    code: 'EMPLOYEE_IN_ROUTING_SCHEME',
    detail: 'a routing scheme rings this employee; take them out of its steps first',
  },
};

interface PgError {
  code?: string;
  constraint?: string;
  detail?: string;
  table?: string;
}

export function toProblem(err: unknown, request: FastifyRequest): Problem {
  if (err instanceof AppError) {
    const p = problem(err.status, err.code, err.message, [...err.errors]);
    return err.dependants.length ? { ...p, dependants: [...err.dependants] } : p;
  }
  const fe = err as FastifyError & PgError;
  if (fe.validation) {
    const errors = fieldProblems(fe.validation as never, fe.validationContext ?? 'body');
    return problem(400, 'VALIDATION_FAILED', `invalid request: ${errors.map((e) => `${e.field} ${e.message}`).join('; ')}`, errors);
  }
  if (fe.code === '23505' && fe.constraint && UNIQUE_CONSTRAINTS[fe.constraint]) {
    const c = UNIQUE_CONSTRAINTS[fe.constraint]!;
    return problem(409, c.code, c.detail ?? `${c.field.slice(1)} ${c.message}`, [{ field: c.field, message: c.message }]);
  }
  if ((fe.code === '23503' || fe.code === '23001') && request.method === 'DELETE' && fe.constraint && BLOCKING_REFERENCES[fe.constraint]) {
    const c = BLOCKING_REFERENCES[fe.constraint]!;
    return problem(409, c.code, c.detail);
  }
  if (fe.code === '23505') return problem(409, 'CONFLICT', `a ${fe.table ?? 'record'} with these values already exists`);
  if (fe.code === '23001') {
    // ON DELETE RESTRICT
    return problem(409, 'STILL_REFERENCED', `it is still referenced${fe.table ? ` by ${fe.table}` : ''}; remove those references first`);
  }
  if (fe.code === '23503') {
    // a delete blocked by a reference, or an insert pointing at nothing
    return request.method === 'DELETE'
      ? problem(409, 'STILL_REFERENCED', `it is still referenced${fe.table ? ` by ${fe.table}` : ''}; remove those references first`)
      : problem(422, 'REFERENCE_NOT_FOUND', fe.detail ?? 'a referenced record does not exist');
  }
  if (fe.code === 'FST_CSRF_MISSING_SECRET' || fe.code === 'FST_CSRF_INVALID_TOKEN') {
    return problem(403, 'CSRF_TOKEN_INVALID', 'send the X-CSRF-Token header with the csrf_token from GET /api/v1/auth/me');
  }
  if (fe.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') return problem(415, 'UNSUPPORTED_MEDIA_TYPE', 'send the body as application/json');
  if (fe.code === 'FST_ERR_CTP_EMPTY_JSON_BODY') {
    return problem(400, 'INVALID_JSON', 'the body is empty; send a JSON value, or leave out the Content-Type: application/json header');
  }
  if (fe.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return problem(413, 'BODY_TOO_LARGE', 'the body is too large');
  if (typeof fe.statusCode === 'number' && fe.statusCode >= 400 && fe.statusCode < 500) {
    return problem(fe.statusCode, fe.code ?? 'BAD_REQUEST', fe.message);
  }
  return problem(500, 'INTERNAL', 'an unexpected error occurred; it has been logged');
}
