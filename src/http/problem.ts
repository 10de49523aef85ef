// Every HTTP error is an RFC 9457 problem (application/problem+json).
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, type FieldProblem } from '../errors.ts';
import { fieldProblems } from './validation.ts';

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  instance?: string;
  errors?: FieldProblem[];
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

// Postgres constraint names → what the client did wrong.
const CONSTRAINTS: Record<string, { code: AppError['code']; field: string; message: string }> = {
  employees_email_key: { code: 'EMAIL_TAKEN', field: '/email', message: 'is already used by another employee' },
  employees_extension_key: { code: 'EXTENSION_TAKEN', field: '/extension', message: 'is already used by another employee' },
  employees_one_senior_manager: {
    code: 'SENIOR_MANAGER_EXISTS',
    field: '/is_senior_manager',
    message: 'another employee is already the senior manager',
  },
  sip_accounts_login_key: { code: 'SIP_LOGIN_TAKEN', field: '/login', message: 'is already used by another SIP account' },
  routing_schemes_name_key: { code: 'CONFLICT', field: '/name', message: 'is already the name of another routing scheme' },
  tracking_numbers_number_key: { code: 'TRACKING_NUMBER_TAKEN', field: '/number', message: 'is already a tracking number' },
};

interface PgError {
  code?: string;
  constraint?: string;
  detail?: string;
  table?: string;
}

export function toProblem(err: unknown, request: FastifyRequest): Problem {
  if (err instanceof AppError) return problem(err.status, err.code, err.message, [...err.errors]);
  const fe = err as FastifyError & PgError;
  if (fe.validation) {
    const errors = fieldProblems(fe.validation as never, fe.validationContext ?? 'body');
    return problem(400, 'VALIDATION_FAILED', `invalid request: ${errors.map((e) => `${e.field} ${e.message}`).join('; ')}`, errors);
  }
  if (fe.code === '23505' && fe.constraint && CONSTRAINTS[fe.constraint]) {
    const c = CONSTRAINTS[fe.constraint]!;
    return problem(409, c.code, `${c.field.slice(1)} ${c.message}`, [{ field: c.field, message: c.message }]);
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
  if (fe.code === 'FST_ERR_CTP_EMPTY_JSON_BODY') return problem(400, 'VALIDATION_FAILED', 'the JSON body is empty');
  if (fe.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return problem(413, 'BODY_TOO_LARGE', 'the body is too large');
  if (typeof fe.statusCode === 'number' && fe.statusCode >= 400 && fe.statusCode < 500) {
    return problem(fe.statusCode, fe.code ?? 'BAD_REQUEST', fe.message);
  }
  return problem(500, 'INTERNAL', 'an unexpected error occurred; it has been logged');
}
