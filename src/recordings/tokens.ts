// Stable recording URLs (what HubSpot keeps on a call engagement): an opaque random
// token per recording, at PUBLIC_URL/recordings/t/<token>.wav. Unlike a signed link it
// never expires, so the recording keeps playing in the CRM; revoking it (the API)
// makes the URL answer 404 for good. The token is the credential: 256 random bits.
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import type { Queryable } from '../db/pool.ts';
import { RECORDING_FILE } from './sign.ts';

export const RECORDING_TOKEN = /^[A-Za-z0-9_-]{43}$/;

/** A new token: 32 random bytes, base64url. */
export const newRecordingToken = (): string => randomBytes(32).toString('base64url');

/** The stable URL of a token. Pure. */
export function recordingTokenUrl(publicUrl: string, token: string): string {
  return `${publicUrl.replace(/\/+$/, '')}/recordings/t/${token}.wav`;
}

/** The token in a request path segment `<token>.wav`, or undefined. Pure. */
export function tokenOfSegment(segment: string): string | undefined {
  const m = /^([A-Za-z0-9_-]{43})\.wav$/.exec(segment);
  return m?.[1];
}

export const recordingTokens = {
  /** The call's live token, made on first use; undefined when the stored path is not a servable recording. */
  async forCall(db: Queryable, call: { readonly id: string; readonly recordingPath: string }): Promise<string | undefined> {
    const file = path.basename(call.recordingPath);
    if (!RECORDING_FILE.test(file)) return undefined;
    const { rows } = await db.query<{ token: string }>(
      `WITH made AS (
         INSERT INTO recording_tokens (token, call_id, file) VALUES ($1, $2, $3)
         ON CONFLICT (call_id) WHERE revoked_at IS NULL DO NOTHING RETURNING token
       )
       SELECT token FROM made
       UNION ALL SELECT token FROM recording_tokens WHERE call_id = $2 AND revoked_at IS NULL
       LIMIT 1`,
      [newRecordingToken(), call.id, file],
    );
    if (rows[0]) return rows[0].token;
    // Another sync made it at the same moment, after this statement's snapshot.
    const again = await db.query<{ token: string }>('SELECT token FROM recording_tokens WHERE call_id = $1 AND revoked_at IS NULL', [call.id]);
    return again.rows[0]?.token;
  },

  /** The recording file of a live token. */
  async file(db: Queryable, token: string): Promise<string | undefined> {
    if (!RECORDING_TOKEN.test(token)) return undefined;
    const { rows } = await db.query<{ file: string }>('SELECT file FROM recording_tokens WHERE token = $1 AND revoked_at IS NULL', [token]);
    return rows[0]?.file;
  },

  /** Revokes the call's live token; answers whether there was one. A later sync makes a new one. */
  async revoke(db: Queryable, callId: string): Promise<boolean> {
    const { rowCount } = await db.query('UPDATE recording_tokens SET revoked_at = now() WHERE call_id = $1 AND revoked_at IS NULL', [callId]);
    return (rowCount ?? 0) > 0;
  },
};
