// Who may do what through /api/v1 (SPEC §8). Pure: the HTTP layer asks
// `decide` for every request, and the call log asks `callScope` which calls a
// principal may see. An API key is an integration with the admin's rights.

export type AccessLevel = 'admin' | 'analyst' | 'employee';
export type SalesRole = 'sales_rep' | 'head' | 'quality_control';

export type Principal =
  | { readonly kind: 'api_key'; readonly id: number; readonly name: string }
  | {
      readonly kind: 'employee';
      readonly id: number;
      readonly email: string;
      readonly accessLevel: AccessLevel;
      readonly salesRole: SalesRole;
      readonly mustChangePassword: boolean;
    };

/**
 * What a route needs:
 * - `public`: nothing (logging in);
 * - `self`: any signed-in principal, even one that must still change its password
 *   (who am I, change my password, log out);
 * - `signed_in`: any signed-in principal (the live view, which filters by role itself);
 * - `calls`: read the call log (each principal sees its scope of calls);
 * - `read`: read the configuration and reports (admin, analyst);
 * - `simulate`: run a routing simulation, which changes nothing (admin, analyst);
 * - `write`: change anything (admin only).
 */
export type Permission = 'public' | 'self' | 'signed_in' | 'calls' | 'read' | 'simulate' | 'write';

/** Routes whose permission is not the default for their method (`read` for GET, `write` otherwise). */
const ROUTES: Readonly<Record<string, Permission>> = {
  'POST /api/v1/auth/login': 'public',
  'GET /api/v1/auth/me': 'self',
  'POST /api/v1/auth/logout': 'self',
  'POST /api/v1/auth/password': 'self',
  'GET /api/v1/live/events': 'signed_in',
  'GET /api/v1/live/notifications': 'signed_in',
  'GET /api/v1/live/calls': 'signed_in',
  'POST /api/v1/live/snooze': 'signed_in',
  'POST /api/v1/live/dismiss': 'signed_in',
  'GET /api/v1/live/preferences': 'signed_in',
  'PATCH /api/v1/live/preferences': 'signed_in',
  'GET /api/v1/calls': 'calls',
  'GET /api/v1/calls/:id': 'calls',
  'POST /api/v1/calls/simulate': 'simulate',
};

/** The permission a route needs; a route nobody listed is `read` for GET and HEAD, `write` for anything else. */
export function permissionFor(method: string, url: string): Permission {
  // a prefixed plugin's '/' route answers with and without the trailing slash
  const path = url.length > 1 && url.endsWith('/') ? url.slice(0, -1) : url;
  const listed = ROUTES[`${method === 'HEAD' ? 'GET' : method} ${path}`];
  if (listed) return listed;
  return method === 'GET' || method === 'HEAD' ? 'read' : 'write';
}

export type Decision =
  | { readonly allow: true }
  | { readonly allow: false; readonly code: 'FORBIDDEN' | 'PASSWORD_CHANGE_REQUIRED'; readonly reason: string };

const ALLOWED: Readonly<Record<AccessLevel, readonly Permission[]>> = {
  admin: ['public', 'self', 'signed_in', 'calls', 'read', 'simulate', 'write'],
  analyst: ['public', 'self', 'signed_in', 'calls', 'read', 'simulate'],
  employee: ['public', 'self', 'signed_in', 'calls'],
};

const WHY: Readonly<Record<AccessLevel, string>> = {
  admin: '',
  analyst: 'an analyst reads reports and calls but changes no setting',
  employee: 'the employee access level sees only its own calls',
};

export function decide(principal: Principal, permission: Permission): Decision {
  if (principal.kind === 'api_key') return { allow: true };
  if (permission === 'public' || permission === 'self') return { allow: true };
  if (principal.mustChangePassword) {
    return { allow: false, code: 'PASSWORD_CHANGE_REQUIRED', reason: 'change your password first (POST /api/v1/auth/password)' };
  }
  if (ALLOWED[principal.accessLevel].includes(permission)) return { allow: true };
  return { allow: false, code: 'FORBIDDEN', reason: WHY[principal.accessLevel] };
}

/**
 * Which calls a principal sees: every call, or only those with clients the
 * employee is responsible for. A sales rep, and anyone at the employee access
 * level, sees their own clients' calls; an admin, a head and quality control see
 * every call; an analyst sees every call unless they are a sales rep.
 */
export type CallScope = { readonly all: true } | { readonly all: false; readonly employeeId: number };

export function callScope(principal: Principal): CallScope {
  if (principal.kind === 'api_key' || principal.accessLevel === 'admin') return { all: true };
  if (principal.accessLevel === 'employee' || principal.salesRole === 'sales_rep') return { all: false, employeeId: principal.id };
  return { all: true };
}

/** Heads get the "notify me of every missed call" setting; everyone else only their own clients' missed calls. */
export function mayWatchEveryMissedCall(principal: Principal): boolean {
  return principal.kind === 'employee' && principal.salesRole === 'head';
}
