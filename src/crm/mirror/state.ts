// Progress of the mirror's syncs in crm_sync_cursors: the full sync's resumable
// cursor (row "full") and the incremental sync's high-water marks (one row per
// object type).
import type { Queryable } from '../../db/pool.ts';
import type { MirrorObjectType } from './types.ts';

/** Where a full sync is: the object type being paged and the page to read next. */
export interface FullCursor {
  readonly phase: MirrorObjectType;
  readonly after: string | null;
}

export type FullStatus = 'idle' | 'running' | 'done' | 'failed';

export interface FullState {
  readonly status: FullStatus;
  readonly cursor: FullCursor | null;
  readonly processed: number;
  readonly total: number | null;
  readonly startedAt: Date | null;
  readonly finishedAt: Date | null;
  readonly error: string | null;
  readonly updatedAt: Date | null;
}

const FULL = 'full';
const incrementalRow = (type: MirrorObjectType) => `incremental:${type}`;

export function parseCursor(text: string | null): FullCursor | null {
  if (text === null) return null;
  try {
    const v = JSON.parse(text) as { phase?: unknown; after?: unknown };
    if ((v.phase === 'contacts' || v.phase === 'deals') && (v.after === null || typeof v.after === 'string')) {
      return { phase: v.phase, after: v.after };
    }
  } catch {
    // an unreadable cursor means: start again
  }
  return null;
}

interface CursorRow {
  status: string;
  cursor: string | null;
  processed: number;
  total: number | null;
  started_at: Date | null;
  finished_at: Date | null;
  error: string | null;
  updated_at: Date;
  high_water: Date | null;
}

async function row(db: Queryable, name: string): Promise<CursorRow | undefined> {
  const { rows } = await db.query<CursorRow>('SELECT * FROM crm_sync_cursors WHERE name = $1', [name]);
  return rows[0];
}

export async function readFullState(db: Queryable): Promise<FullState> {
  const r = await row(db, FULL);
  if (!r) return { status: 'idle', cursor: null, processed: 0, total: null, startedAt: null, finishedAt: null, error: null, updatedAt: null };
  const status: FullStatus = r.status === 'running' || r.status === 'done' || r.status === 'failed' ? r.status : 'idle';
  return {
    status,
    cursor: parseCursor(r.cursor),
    processed: r.processed,
    total: r.total,
    startedAt: r.started_at,
    finishedAt: r.finished_at,
    error: r.error,
    updatedAt: r.updated_at,
  };
}

/** Starts a fresh full sync; returns its start time (the database's clock). */
export async function beginFullSync(db: Queryable, total: number): Promise<Date> {
  const cursor: FullCursor = { phase: 'contacts', after: null };
  const { rows } = await db.query<{ started_at: Date }>(
    `INSERT INTO crm_sync_cursors (name, cursor, processed, total, status, error, started_at, updated_at)
     VALUES ($1, $2, 0, $3, 'running', NULL, now(), now())
     ON CONFLICT (name) DO UPDATE SET cursor = excluded.cursor, processed = 0, total = excluded.total, status = 'running',
       error = NULL, started_at = now(), updated_at = now()
     RETURNING started_at`,
    [FULL, JSON.stringify(cursor), total],
  );
  return rows[0]!.started_at;
}

/**
 * Marks the full sync as running the moment it is taken on, before its first
 * HubSpot request, so the sync status never shows the previous run's outcome for
 * a sync that has been started. The cursor is left alone: a finished run has none
 * (so the run starts fresh), an interrupted one keeps its place.
 */
export async function markFullSyncRunning(db: Queryable): Promise<void> {
  await db.query(
    `INSERT INTO crm_sync_cursors (name, status, updated_at) VALUES ($1, 'running', now())
     ON CONFLICT (name) DO UPDATE SET status = 'running', error = NULL, updated_at = now()`,
    [FULL],
  );
}

export async function resumeFullSync(db: Queryable): Promise<void> {
  await db.query(`UPDATE crm_sync_cursors SET status = 'running', error = NULL, updated_at = now() WHERE name = $1`, [FULL]);
}

export async function saveFullCursor(db: Queryable, cursor: FullCursor, processed: number): Promise<void> {
  await db.query(`UPDATE crm_sync_cursors SET cursor = $2, processed = $3, updated_at = now() WHERE name = $1`, [
    FULL,
    JSON.stringify(cursor),
    processed,
  ]);
}

/** The full sync is done: the incremental sync continues from just before it started. */
export async function finishFullSync(db: Queryable, incrementalFrom: Date): Promise<void> {
  await db.query(
    `UPDATE crm_sync_cursors SET status = 'done', cursor = NULL, finished_at = now(), error = NULL, updated_at = now() WHERE name = $1`,
    [FULL],
  );
  for (const type of ['contacts', 'deals'] as const) {
    await db.query(
      `INSERT INTO crm_sync_cursors AS c (name, high_water, status, updated_at) VALUES ($1, $2, 'idle', now())
       ON CONFLICT (name) DO UPDATE SET high_water = GREATEST(c.high_water, excluded.high_water), updated_at = now()`,
      [incrementalRow(type), incrementalFrom.toISOString()],
    );
  }
}

export async function failFullSync(db: Queryable, error: string): Promise<void> {
  await db.query(`UPDATE crm_sync_cursors SET status = 'failed', error = $2, updated_at = now() WHERE name = $1`, [FULL, error]);
}

/** True once a full sync has finished: from then on the incremental sync keeps the mirror current. */
export async function mirrorFilled(db: Queryable): Promise<boolean> {
  const r = await row(db, FULL);
  return r?.finished_at !== null && r?.finished_at !== undefined;
}

export interface IncrementalState {
  readonly highWater: Date | null;
  readonly status: string;
  readonly processed: number;
  readonly error: string | null;
  readonly updatedAt: Date | null;
}

export async function readIncrementalState(db: Queryable, type: MirrorObjectType): Promise<IncrementalState> {
  const r = await row(db, incrementalRow(type));
  return r
    ? { highWater: r.high_water, status: r.status, processed: r.processed, error: r.error, updatedAt: r.updated_at }
    : { highWater: null, status: 'idle', processed: 0, error: null, updatedAt: null };
}

/** After a pass: the new high-water mark, and how many records the passes applied so far. */
export async function saveIncremental(db: Queryable, type: MirrorObjectType, highWater: Date, applied: number): Promise<void> {
  await db.query(
    `INSERT INTO crm_sync_cursors AS c (name, high_water, processed, status, updated_at) VALUES ($1, $2, $3, 'idle', now())
     ON CONFLICT (name) DO UPDATE SET high_water = GREATEST(c.high_water, excluded.high_water), processed = c.processed + $3,
       status = 'idle', error = NULL, updated_at = now()`,
    [incrementalRow(type), highWater.toISOString(), applied],
  );
}

export async function failIncremental(db: Queryable, type: MirrorObjectType, error: string): Promise<void> {
  await db.query(
    `INSERT INTO crm_sync_cursors (name, status, error, updated_at) VALUES ($1, 'failed', $2, now())
     ON CONFLICT (name) DO UPDATE SET status = 'failed', error = $2, updated_at = now()`,
    [incrementalRow(type), error],
  );
}
