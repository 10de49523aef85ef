// The console talks to the same /api/v1 routes as integrations, with its
// session cookie and the session's CSRF token.

export interface Me {
  kind: 'employee' | 'api_key';
  id: number;
  email: string | null;
  full_name: string;
  access_level: 'admin' | 'analyst' | 'employee';
  sales_role: 'sales_rep' | 'head' | 'quality_control' | null;
  must_change_password: boolean;
  calls_visible: 'all' | 'own';
  may_watch_every_missed_call: boolean;
  csrf_token: string | null;
}

export interface FieldProblem {
  field: string;
  message: string;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly errors: FieldProblem[],
    readonly retryAfterS: number | undefined,
  ) {
    super(message);
  }
  /** The message for one field (a JSON pointer such as /email), if the server named it. */
  field(pointer: string): string | undefined {
    return this.errors.find((e) => e.field === pointer)?.message;
  }
}

let csrf: string | null = null;
let onUnauthorized: () => void = () => undefined;

export function setCsrf(token: string | null): void {
  csrf = token;
}
export function whenUnauthorized(fn: () => void): void {
  onUnauthorized = fn;
}

export async function api<T>(method: string, url: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET' && csrf) headers['x-csrf-token'] = csrf;
  const res = await fetch(`/api/v1${url}`, {
    method,
    headers,
    credentials: 'same-origin',
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  if (res.status === 204) return undefined as T;
  const data = (await res.json().catch(() => ({}))) as Record<string, unknown>;
  if (!res.ok) {
    if (res.status === 401 && !url.startsWith('/auth/login')) onUnauthorized();
    const retry = res.headers.get('retry-after');
    throw new ApiError(
      res.status,
      String(data.code ?? 'ERROR'),
      String(data.detail ?? res.statusText),
      (data.errors as FieldProblem[] | undefined) ?? [],
      retry ? Number(retry) : undefined,
    );
  }
  return data as T;
}

export const get = <T>(url: string) => api<T>('GET', url);
export const post = <T>(url: string, body?: unknown) => api<T>('POST', url, body ?? {});
export const patch = <T>(url: string, body: unknown) => api<T>('PATCH', url, body);
export const put = <T>(url: string, body: unknown) => api<T>('PUT', url, body);
export const del = (url: string) => api<void>('DELETE', url);

export interface Page<T> {
  items: T[];
  total: number;
  limit: number;
  offset: number;
}

/** A SIP password that meets ringpath's policy: 20 characters with every kind of character. */
export function generateSipPassword(): string {
  const sets = ['ABCDEFGHJKLMNPQRSTUVWXYZ', 'abcdefghijkmnopqrstuvwxyz', '23456789', '!#%+-=?@_'];
  const all = sets.join('');
  const pick = (s: string) => {
    const n = new Uint32Array(1);
    crypto.getRandomValues(n);
    return s[n[0]! % s.length]!;
  };
  const chars = [...sets.map(pick), ...Array.from({ length: 16 }, () => pick(all))];
  for (let i = chars.length - 1; i > 0; i--) {
    const n = new Uint32Array(1);
    crypto.getRandomValues(n);
    const j = n[0]! % (i + 1);
    [chars[i], chars[j]] = [chars[j]!, chars[i]!];
  }
  return chars.join('');
}
