// Errors are values with stable codes. The HTTP layer turns them into RFC 9457
// problems, the SIP layer into status codes with an X-Reason header.

export type ErrorCode =
  | 'VALIDATION_FAILED'
  | 'PHONE_INVALID'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'EXTENSION_TAKEN'
  | 'EMAIL_TAKEN'
  | 'SIP_LOGIN_TAKEN'
  | 'TRACKING_NUMBER_TAKEN'
  | 'SENIOR_MANAGER_EXISTS'
  | 'WEAK_SIP_PASSWORD'
  | 'REFERENCE_NOT_FOUND'
  | 'STILL_REFERENCED'
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
  PHONE_INVALID: 400,
  WEAK_SIP_PASSWORD: 400,
  NOT_FOUND: 404,
  TRACKING_NUMBER_UNKNOWN: 404,
  CONFLICT: 409,
  EXTENSION_TAKEN: 409,
  EMAIL_TAKEN: 409,
  SIP_LOGIN_TAKEN: 409,
  TRACKING_NUMBER_TAKEN: 409,
  SENIOR_MANAGER_EXISTS: 409,
  STILL_REFERENCED: 409,
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

export class AppError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly errors: readonly FieldProblem[] = [],
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
