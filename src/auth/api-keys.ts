// API keys for integrations: `rp_<prefix>_<secret>`. Only a SHA-256 of the
// secret is stored (the secret is 256 random bits, so a fast hash is enough);
// the key is shown once, when it is created.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Queryable } from '../db/pool.ts';
import { AppError } from '../errors.ts';

export interface ApiKeyRecord {
  readonly id: number;
  readonly name: string;
  readonly prefix: string;
  readonly createdAt: Date;
}

/** A key as listed: never its secret; revoked keys stay listed with the time they were revoked. */
export interface ApiKeyListing extends ApiKeyRecord {
  readonly lastUsedAt: Date | null;
  readonly revokedAt: Date | null;
}

interface ApiKeyRow {
  id: number;
  name: string;
  prefix: string;
  created_at: Date;
  last_used_at: Date | null;
  revoked_at: Date | null;
}

const LISTING_COLUMNS = 'id, name, prefix, created_at, last_used_at, revoked_at';

function listing(row: ApiKeyRow): ApiKeyListing {
  return {
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    createdAt: row.created_at,
    lastUsedAt: row.last_used_at,
    revokedAt: row.revoked_at,
  };
}

/** Every key, oldest first, with the page asked for and the total. */
export async function listApiKeys(db: Queryable, page: { limit: number; offset: number } = { limit: 1000, offset: 0 }): Promise<{ items: ApiKeyListing[]; total: number }> {
  const [{ rows }, count] = await Promise.all([
    db.query<ApiKeyRow>(`SELECT ${LISTING_COLUMNS} FROM api_keys ORDER BY id LIMIT $1 OFFSET $2`, [page.limit, page.offset]),
    db.query<{ total: string }>('SELECT count(*) AS total FROM api_keys'),
  ]);
  return { items: rows.map(listing), total: Number(count.rows[0]!.total) };
}

/**
 * Revokes key `id` from now on (a key revoked before keeps its first revocation
 * time); undefined when there is no such key. The row stays, so lists show it.
 */
export async function revokeApiKey(db: Queryable, id: number): Promise<ApiKeyListing | undefined> {
  const { rows } = await db.query<ApiKeyRow>(
    `UPDATE api_keys SET revoked_at = coalesce(revoked_at, now()) WHERE id = $1 RETURNING ${LISTING_COLUMNS}`,
    [id],
  );
  return rows[0] ? listing(rows[0]) : undefined;
}

const sha256 = (s: string): string => createHash('sha256').update(s).digest('hex');

export async function createApiKey(db: Queryable, name: string): Promise<{ key: string; record: ApiKeyRecord }> {
  const trimmed = name.trim();
  if (trimmed.length === 0 || trimmed.length > 100) throw AppError.field('VALIDATION_FAILED', '/name', 'an API key name must have 1 to 100 characters besides spaces');
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
