// Errors are values with stable codes. The HTTP layer turns them into RFC 9457
// problems, the SIP layer into status codes with an X-Reason header.

export type ErrorCode =
  | 'VALIDATION_FAILED'
  | 'INVALID_JSON'
  | 'READ_ONLY_FIELD'
  | 'PHONE_INVALID'
  | 'NOT_FOUND'
  | 'EXTENSION_TAKEN'
  | 'CRM_OWNER_TAKEN'
  | 'EMAIL_TAKEN'
  | 'SIP_LOGIN_TAKEN'
  | 'TRACKING_NUMBER_TAKEN'
  | 'SENIOR_MANAGER_EXISTS'
  | 'WEAK_SIP_PASSWORD'
  | 'SCHEME_NAME_TAKEN'
  | 'SITE_HAS_POOL'
  | 'SITE_DOMAIN_TAKEN'
  | 'SCHEME_IN_USE'
  | 'POOL_HAS_NUMBERS'
  | 'EMPLOYEE_IN_ROUTING_SCHEME'
  | 'SENIOR_MANAGER_NEEDED'
  | 'EMPLOYEE_IS_CALLER_ID'
  | 'CALL_NOT_AWAITING_RETRY'
  | 'WEBHOOK_DISABLED'
  | 'TEST_CALL_SYNCING'
  | 'TEST_CALL_NEEDS_DATA'
  | 'REFERENCE_NOT_FOUND'
  | 'UNAUTHORIZED'
  | 'FORBIDDEN'
  | 'TRACKING_NUMBER_UNKNOWN'
  | 'TRACKING_NUMBER_NOT_STATIC'
  | 'EMPLOYEE_NOT_RINGABLE'
  | 'LOGIN_FAILED'
  | 'LOCKED_OUT'
  | 'PASSWORD_CHANGE_REQUIRED';

const STATUS: Record<ErrorCode, number> = {
  VALIDATION_FAILED: 400,
  INVALID_JSON: 400,
  READ_ONLY_FIELD: 400,
  PHONE_INVALID: 400,
  WEAK_SIP_PASSWORD: 400,
  NOT_FOUND: 404,
  TRACKING_NUMBER_UNKNOWN: 404,
  EXTENSION_TAKEN: 409,
  CRM_OWNER_TAKEN: 409,
  EMAIL_TAKEN: 409,
  SIP_LOGIN_TAKEN: 409,
  TRACKING_NUMBER_TAKEN: 409,
  SENIOR_MANAGER_EXISTS: 409,
  SCHEME_NAME_TAKEN: 409,
  SITE_HAS_POOL: 409,
  SITE_DOMAIN_TAKEN: 409,
  SCHEME_IN_USE: 409,
  POOL_HAS_NUMBERS: 409,
  EMPLOYEE_IN_ROUTING_SCHEME: 409,
  SENIOR_MANAGER_NEEDED: 409,
  EMPLOYEE_IS_CALLER_ID: 409,
  CALL_NOT_AWAITING_RETRY: 409,
  WEBHOOK_DISABLED: 409,
  TEST_CALL_SYNCING: 409,
  TEST_CALL_NEEDS_DATA: 422,
  REFERENCE_NOT_FOUND: 422,
  EMPLOYEE_NOT_RINGABLE: 422,
  TRACKING_NUMBER_NOT_STATIC: 422,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  LOGIN_FAILED: 401,
  PASSWORD_CHANGE_REQUIRED: 403,
  LOCKED_OUT: 429,
};

export interface FieldProblem {
  /** JSON pointer-ish path of the offending field, e.g. "/main_destinations/0/number". */
  readonly field: string;
  readonly message: string;
}

/** Accepted, but probably not what was meant (returned in a response's `warnings`). */
export interface Warning {
  readonly code: string;
  readonly message: string;
}

/** Something that depends on what a request would change or delete (a 409 names them all). */
export interface Dependant {
  /** what kind of thing it is: routing_scheme, tracking_number, crm_sync */
  readonly kind: string;
  readonly id: number | null;
  readonly name: string;
  /** how it depends, in words */
  readonly reason: string;
}

export class AppError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly errors: readonly FieldProblem[] = [],
    readonly dependants: readonly Dependant[] = [],
  ) {
    super(message);
    this.name = 'AppError';
    this.status = STATUS[code];
  }

  static field(code: ErrorCode, field: string, message: string): AppError {
    return new AppError(code, `${field}: ${message}`, [{ field, message }]);
  }
}

export const notFound = (what: string, id: string | number): AppError =>
  new AppError('NOT_FOUND', `${what} ${id} does not exist`);
