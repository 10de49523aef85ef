// Registered contacts of SIP accounts, in PostgreSQL so every ringpath process
// can reach every phone.
import type { Queryable } from '../pool.ts';

export interface SipAccountCredentials {
  readonly id: number;
  readonly employeeId: number;
  readonly login: string;
  readonly realm: string;
  readonly ha1Md5: string;
}

export async function findSipAccount(db: Queryable, login: string): Promise<SipAccountCredentials | undefined> {
  const { rows } = await db.query<{ id: number; employee_id: number; login: string; realm: string; ha1_md5: string }>(
    'SELECT id, employee_id, login, realm, ha1_md5 FROM sip_accounts WHERE lower(login) = lower($1)',
    [login],
  );
  const r = rows[0];
  return r ? { id: r.id, employeeId: r.employee_id, login: r.login, realm: r.realm, ha1Md5: r.ha1_md5 } : undefined;
}

export interface Registration {
  readonly contactUri: string;
  readonly sourceAddress: string;
  readonly expiresAt: Date;
}

/** Add or refresh contacts of an account; `expires` 0 removes the contact. */
export async function saveContacts(
  db: Queryable,
  accountId: number,
  contacts: ReadonlyArray<{ uri: string; expires: number }>,
  source: string,
  userAgent: string | undefined,
): Promise<void> {
  for (const c of contacts) {
    if (c.expires <= 0) {
      await db.query('DELETE FROM sip_registrations WHERE sip_account_id = $1 AND contact_uri = $2', [accountId, c.uri]);
      continue;
    }
    await db.query(
      `INSERT INTO sip_registrations (sip_account_id, contact_uri, source_address, user_agent, expires_at)
       VALUES ($1, $2, $3, $4, now() + make_interval(secs => $5))
       ON CONFLICT (sip_account_id, contact_uri)
       DO UPDATE SET source_address = EXCLUDED.source_address, user_agent = EXCLUDED.user_agent,
                     expires_at = EXCLUDED.expires_at, updated_at = now()`,
      [accountId, c.uri, source, userAgent ?? null, c.expires],
    );
  }
}

export async function removeAllContacts(db: Queryable, accountId: number): Promise<void> {
  await db.query('DELETE FROM sip_registrations WHERE sip_account_id = $1', [accountId]);
}

/** Live contacts of a login (expired ones are ignored and swept). */
export async function contactsOf(db: Queryable, login: string): Promise<Registration[]> {
  const { rows } = await db.query<{ contact_uri: string; source_address: string; expires_at: Date }>(
    `SELECT r.contact_uri, r.source_address, r.expires_at
       FROM sip_registrations r JOIN sip_accounts a ON a.id = r.sip_account_id
      WHERE lower(a.login) = lower($1) AND r.expires_at > now()
      ORDER BY r.updated_at DESC`,
    [login],
  );
  return rows.map((r) => ({ contactUri: r.contact_uri, sourceAddress: r.source_address, expiresAt: r.expires_at }));
}

export async function sweepExpired(db: Queryable): Promise<number> {
  const { rowCount } = await db.query('DELETE FROM sip_registrations WHERE expires_at <= now()');
  return rowCount ?? 0;
}
