// Console users are the employees with a password (SPEC §8): their login,
// password changes and lockout. Passwords are hashed with scrypt (password.ts);
// failed logins are counted per email in PostgreSQL by rate-limiter-flexible,
// so every ringpath process shares the lockout.
import { RateLimiterPostgres, RateLimiterRes } from 'rate-limiter-flexible';
import type { Pool, Queryable } from '../db/pool.ts';
import type { AccessLevel, Principal, SalesRole } from './access.ts';
import { hashPassword, verifyPassword } from './password.ts';

/** Console passwords: at least 12 characters (as ADMIN_PASSWORD), at most 200. */
export function consolePasswordProblem(password: string): string | undefined {
  if (password.length < 12) return 'must have at least 12 characters';
  if (password.length > 200) return 'must have at most 200 characters';
  if (password.trim().length === 0) return 'must not be only spaces';
  return undefined;
}

interface EmployeeRow {
  id: number;
  email: string;
  full_name: string;
  access_level: AccessLevel;
  sales_role: SalesRole;
  must_change_password: boolean;
  password_hash: string | null;
}

export interface ConsoleUser {
  readonly principal: Extract<Principal, { kind: 'employee' }>;
  readonly fullName: string;
}

const toUser = (r: EmployeeRow): ConsoleUser => ({
  principal: {
    kind: 'employee',
    id: Number(r.id),
    email: r.email,
    accessLevel: r.access_level,
    salesRole: r.sales_role,
    mustChangePassword: r.must_change_password,
  },
  fullName: r.full_name,
});

const COLUMNS = 'id, email, full_name, access_level, sales_role, must_change_password, password_hash';

// compared against when the email is unknown, so both answers take as long
const DUMMY_HASH = hashPassword('ringpath-no-such-user');

export const consoleUsers = {
  /** The employee behind a session, while they can still log in. */
  async byId(db: Queryable, id: number): Promise<ConsoleUser | undefined> {
    const { rows } = await db.query<EmployeeRow>(`SELECT ${COLUMNS} FROM employees WHERE id = $1 AND password_hash IS NOT NULL`, [id]);
    return rows[0] ? toUser(rows[0]) : undefined;
  },

  /** The employee when the email and password match. */
  async check(db: Queryable, email: string, password: string): Promise<ConsoleUser | undefined> {
    const { rows } = await db.query<EmployeeRow>(`SELECT ${COLUMNS} FROM employees WHERE lower(email) = lower($1) AND password_hash IS NOT NULL`, [
      email.trim(),
    ]);
    const row = rows[0];
    const ok = await verifyPassword(password, row?.password_hash ?? (await DUMMY_HASH));
    return row && ok ? toUser(row) : undefined;
  },

  /**
   * Sets an employee's password. `mustChange` makes the next login change it
   * (a password someone else chose). Every other session of theirs ends.
   */
  async setPassword(db: Queryable, id: number, password: string, opts: { mustChange: boolean; keepSessionId?: string }): Promise<boolean> {
    const hash = await hashPassword(password);
    const { rowCount } = await db.query(
      'UPDATE employees SET password_hash = $2, must_change_password = $3, updated_at = now() WHERE id = $1',
      [id, hash, opts.mustChange],
    );
    if (!rowCount) return false;
    await db.query(`DELETE FROM console_sessions WHERE (sess ->> 'employeeId')::bigint = $1 AND sid IS DISTINCT FROM $2`, [
      id,
      opts.keepSessionId ?? null,
    ]);
    return true;
  },

  async passwordHash(db: Queryable, id: number): Promise<string | undefined> {
    const { rows } = await db.query<{ password_hash: string | null }>('SELECT password_hash FROM employees WHERE id = $1', [id]);
    return rows[0]?.password_hash ?? undefined;
  },
};

export interface LoginLockout {
  /** Seconds until the email may try again, or 0 when it may try now. */
  lockedForS(email: string): Promise<number>;
  /** Counts a failure; the seconds the email is now locked for (0 while it has tries left). */
  failed(email: string): Promise<number>;
  succeeded(email: string): Promise<void>;
}

const lockKey = (email: string): string => email.trim().toLowerCase();

export function loginLockout(pool: Pool, opts: { limit: number; lockoutS: number }): LoginLockout {
  const limiter = new RateLimiterPostgres({
    storeClient: pool,
    storeType: 'pool',
    tableName: 'console_login_limits',
    tableCreated: true,
    clearExpiredByTimeout: false,
    keyPrefix: 'login',
    points: opts.limit,
    duration: opts.lockoutS,
    blockDuration: opts.lockoutS,
  });
  return {
    async lockedForS(email) {
      const res = await limiter.get(lockKey(email));
      return res && res.consumedPoints >= opts.limit ? Math.max(1, Math.ceil(res.msBeforeNext / 1000)) : 0;
    },
    async failed(email) {
      try {
        const res = await limiter.consume(lockKey(email));
        return res.remainingPoints === 0 ? Math.max(1, Math.ceil(res.msBeforeNext / 1000)) : 0;
      } catch (e) {
        if (e instanceof RateLimiterRes) return Math.max(1, Math.ceil(e.msBeforeNext / 1000));
        throw e;
      }
    },
    async succeeded(email) {
      await limiter.delete(lockKey(email));
    },
  };
}
