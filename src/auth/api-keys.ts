// API keys for integrations: `rp_<prefix>_<secret>`. Only a SHA-256 of the
// secret is stored (the secret is 256 random bits, so a fast hash is enough);
// the key is shown once, when it is created.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Queryable } from '../db/pool.ts';

export interface ApiKeyRecord {
  readonly id: number;
  readonly name: string;
  readonly prefix: string;
  readonly createdAt: Date;
}

const sha256 = (s: string): string => createHash('sha256').update(s).digest('hex');

export async function createApiKey(db: Queryable, name: string): Promise<{ key: string; record: ApiKeyRecord }> {
  const trimmed = name.trim();
  if (trimmed.length === 0 || trimmed.length > 100) throw new Error('an API key name must have 1 to 100 characters');
  const prefix = randomBytes(6).toString('hex');
  const secret = randomBytes(32).toString('base64url');
  const { rows } = await db.query<{ id: number; created_at: Date }>(
    'INSERT INTO api_keys (name, prefix, secret_hash) VALUES ($1, $2, $3) RETURNING id, created_at',
    [trimmed, prefix, sha256(secret)],
  );
  const row = rows[0]!;
  return { key: `rp_${prefix}_${secret}`, record: { id: row.id, name: trimmed, prefix, createdAt: row.created_at } };
}

/** The key's record when it is valid and not revoked; marks it used. */
export async function verifyApiKey(db: Queryable, presented: string): Promise<ApiKeyRecord | undefined> {
  const m = /^rp_([0-9a-f]{12})_([A-Za-z0-9_-]{43})$/.exec(presented);
  if (!m) return undefined;
  const { rows } = await db.query<{ id: number; name: string; secret_hash: string; created_at: Date }>(
    `UPDATE api_keys SET last_used_at = now() WHERE prefix = $1 AND revoked_at IS NULL
     RETURNING id, name, secret_hash, created_at`,
    [m[1]],
  );
  const row = rows[0];
  if (!row) return undefined;
  const a = Buffer.from(sha256(m[2]!), 'hex');
  const b = Buffer.from(row.secret_hash, 'hex');
  if (a.length !== b.length || !timingSafeEqual(a, b)) return undefined;
  return { id: row.id, name: row.name, prefix: m[1]!, createdAt: row.created_at };
}
