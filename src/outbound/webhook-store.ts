// Webhook subscriptions, their deliveries and each delivery's attempts, in
// PostgreSQL. An event is stored once per subscribed endpoint together with the
// job that delivers it, in one statement.
import type { Queryable } from '../db/pool.ts';
import type { CallEvent } from './events.ts';

export const WEBHOOK_TASK = 'webhook_deliver';

export interface EndpointRow {
  id: number;
  url: string;
  event_types: string[];
  secret: string;
  description: string | null;
  enabled: boolean;
  disabled_reason: string | null;
  disabled_at: Date | null;
  consecutive_failures: number;
  created_at: Date;
  updated_at: Date;
}

export interface DeliveryRow {
  id: number;
  endpoint_id: number;
  message_id: string;
  event_type: string;
  call_id: string;
  payload: CallEvent;
  state: 'pending' | 'delivered' | 'failed';
  attempts: number;
  last_error: string | null;
  next_attempt_at: Date | null;
  created_at: Date;
  delivered_at: Date | null;
}

export interface AttemptRow {
  id: number;
  delivery_id: number;
  attempted_at: Date;
  status_code: number | null;
  error: string | null;
  duration_ms: number;
  response_body: string | null;
}

const ID = (v: unknown) => Number(v);
const endpointOf = (r: EndpointRow): EndpointRow => ({ ...r, id: ID(r.id) });
const deliveryOf = (r: DeliveryRow): DeliveryRow => ({ ...r, id: ID(r.id), endpoint_id: ID(r.endpoint_id) });

/** The job that drains one endpoint's deliveries of one call, in order (one job queue per endpoint and call). */
const ADD_JOB = `graphile_worker.add_job('${WEBHOOK_TASK}', json_build_object('endpointId', endpoint_id, 'callId', call_id),
    queue_name := 'webhook:' || endpoint_id || ':' || call_id, job_key := 'webhook:' || endpoint_id || ':' || call_id,
    job_key_mode := 'preserve_run_at', max_attempts := 5)`;

export const webhookStore = {
  async create(db: Queryable, e: { url: string; eventTypes: readonly string[]; secret: string; description: string | null }): Promise<EndpointRow> {
    const { rows } = await db.query<EndpointRow>(
      `INSERT INTO webhook_endpoints (url, event_types, secret, description) VALUES ($1, $2, $3, $4) RETURNING *`,
      [e.url, e.eventTypes, e.secret, e.description],
    );
    return endpointOf(rows[0]!);
  },

  async list(db: Queryable, limit: number, offset: number): Promise<{ items: EndpointRow[]; total: number }> {
    const { rows } = await db.query<EndpointRow & { total: string }>(
      `SELECT *, count(*) OVER () AS total FROM webhook_endpoints ORDER BY id LIMIT $1 OFFSET $2`,
      [limit, offset],
    );
    const total = rows[0] ? Number(rows[0].total) : Number((await db.query<{ n: string }>('SELECT count(*) AS n FROM webhook_endpoints')).rows[0]?.n ?? 0);
    return { items: rows.map(endpointOf), total };
  },

  async get(db: Queryable, id: number): Promise<EndpointRow | undefined> {
    const { rows } = await db.query<EndpointRow>('SELECT * FROM webhook_endpoints WHERE id = $1', [id]);
    return rows[0] ? endpointOf(rows[0]) : undefined;
  },

  /** Change the URL, event types or description; `enabled: true` turns a disabled endpoint back on and clears its failures. */
  async update(
    db: Queryable,
    id: number,
    p: { url?: string; eventTypes?: readonly string[]; description?: string | null; enabled?: boolean },
  ): Promise<EndpointRow | undefined> {
    const { rows } = await db.query<EndpointRow>(
      `UPDATE webhook_endpoints SET
         url = COALESCE($2, url),
         event_types = COALESCE($3, event_types),
         description = CASE WHEN $4::boolean THEN $5 ELSE description END,
         enabled = COALESCE($6, enabled),
         disabled_reason = CASE WHEN $6 IS TRUE THEN NULL WHEN $6 IS FALSE THEN 'disabled by an admin' ELSE disabled_reason END,
         disabled_at = CASE WHEN $6 IS TRUE THEN NULL WHEN $6 IS FALSE THEN now() ELSE disabled_at END,
         consecutive_failures = CASE WHEN $6 IS TRUE THEN 0 ELSE consecutive_failures END,
         updated_at = now()
       WHERE id = $1 RETURNING *`,
      [id, p.url ?? null, p.eventTypes ?? null, p.description !== undefined, p.description ?? null, p.enabled ?? null],
    );
    return rows[0] ? endpointOf(rows[0]) : undefined;
  },

  async remove(db: Queryable, id: number): Promise<boolean> {
    const { rowCount } = await db.query('DELETE FROM webhook_endpoints WHERE id = $1', [id]);
    return (rowCount ?? 0) > 0;
  },

  /** Store the event for every enabled endpoint subscribed to its type, with the jobs that deliver it. Returns how many. */
  async enqueue(db: Queryable, event: CallEvent): Promise<number> {
    const { rows } = await db.query(
      `WITH ins AS (
         INSERT INTO webhook_deliveries (endpoint_id, message_id, event_type, call_id, payload)
         SELECT e.id, 'msg_' || replace(gen_random_uuid()::text, '-', ''), $1, $2, $3::jsonb
           FROM webhook_endpoints e WHERE e.enabled AND $1 = ANY (e.event_types)
          ORDER BY e.id
         RETURNING endpoint_id, call_id)
       SELECT ${ADD_JOB} FROM ins`,
      [event.type, event.data.call_id, JSON.stringify(event)],
    );
    return rows.length;
  },

  /** The oldest undelivered delivery of an endpoint for a call: the next one to send. */
  async nextPending(db: Queryable, endpointId: number, callId: string): Promise<DeliveryRow | undefined> {
    const { rows } = await db.query<DeliveryRow>(
      `SELECT * FROM webhook_deliveries WHERE endpoint_id = $1 AND call_id = $2 AND state = 'pending' ORDER BY id LIMIT 1`,
      [endpointId, callId],
    );
    return rows[0] ? deliveryOf(rows[0]) : undefined;
  },

  async firstAttemptAt(db: Queryable, deliveryId: number): Promise<Date | undefined> {
    const { rows } = await db.query<{ at: Date | null }>('SELECT min(attempted_at) AS at FROM webhook_attempts WHERE delivery_id = $1', [deliveryId]);
    return rows[0]?.at ?? undefined;
  },

  async recordAttempt(
    db: Queryable,
    a: { deliveryId: number; at: Date; statusCode: number | null; error: string | null; durationMs: number; responseBody: string | null },
  ): Promise<void> {
    await db.query(
      `INSERT INTO webhook_attempts (delivery_id, attempted_at, status_code, error, duration_ms, response_body) VALUES ($1, $2, $3, $4, $5, $6)`,
      [a.deliveryId, a.at, a.statusCode, a.error, a.durationMs, a.responseBody],
    );
  },

  async delivered(db: Queryable, deliveryId: number, endpointId: number, at: Date): Promise<void> {
    await db.query(
      `WITH d AS (UPDATE webhook_deliveries SET state = 'delivered', attempts = attempts + 1, delivered_at = $2, last_error = NULL, next_attempt_at = NULL
                   WHERE id = $1)
       UPDATE webhook_endpoints SET consecutive_failures = 0 WHERE id = $3`,
      [deliveryId, at, endpointId],
    );
  },

  /** A failed attempt: the delivery's count and the endpoint's run of failures go up; returns both. */
  async failed(db: Queryable, deliveryId: number, endpointId: number, error: string): Promise<{ attempts: number; consecutiveFailures: number }> {
    const { rows } = await db.query<{ attempts: number; consecutive_failures: number }>(
      `WITH d AS (UPDATE webhook_deliveries SET attempts = attempts + 1, last_error = $2 WHERE id = $1 RETURNING attempts),
            e AS (UPDATE webhook_endpoints SET consecutive_failures = consecutive_failures + 1 WHERE id = $3 RETURNING consecutive_failures)
       SELECT d.attempts, e.consecutive_failures FROM d, e`,
      [deliveryId, error, endpointId],
    );
    return { attempts: rows[0]?.attempts ?? 0, consecutiveFailures: rows[0]?.consecutive_failures ?? 0 };
  },

  /** Try again at `at`: the drain job of the endpoint and call is scheduled then. */
  async retryAt(db: Queryable, deliveryId: number, at: Date): Promise<void> {
    await db.query(
      `WITH d AS (UPDATE webhook_deliveries SET next_attempt_at = $2 WHERE id = $1 RETURNING endpoint_id, call_id)
       SELECT graphile_worker.add_job('${WEBHOOK_TASK}', json_build_object('endpointId', endpoint_id, 'callId', call_id),
         queue_name := 'webhook:' || endpoint_id || ':' || call_id, job_key := 'webhook:' || endpoint_id || ':' || call_id,
         run_at := $2, max_attempts := 5) FROM d`,
      [deliveryId, at],
    );
  },

  async giveUp(db: Queryable, deliveryId: number, reason: string): Promise<void> {
    await db.query(`UPDATE webhook_deliveries SET state = 'failed', last_error = $2, next_attempt_at = NULL WHERE id = $1`, [deliveryId, reason]);
  },

  /** Disable the endpoint with the reason the admin sees; its undelivered deliveries fail with it. */
  async disable(db: Queryable, endpointId: number, reason: string): Promise<void> {
    await db.query(
      `WITH e AS (UPDATE webhook_endpoints SET enabled = false, disabled_reason = $2, disabled_at = now(), updated_at = now() WHERE id = $1)
       UPDATE webhook_deliveries SET state = 'failed', last_error = $3, next_attempt_at = NULL WHERE endpoint_id = $1 AND state = 'pending'`,
      [endpointId, reason, `endpoint disabled: ${reason}`],
    );
  },

  /** The undelivered deliveries of a disabled endpoint fail with its reason. */
  async failPending(db: Queryable, endpointId: number, reason: string): Promise<void> {
    await db.query(
      `UPDATE webhook_deliveries SET state = 'failed', last_error = $2, next_attempt_at = NULL WHERE endpoint_id = $1 AND state = 'pending'`,
      [endpointId, `endpoint disabled: ${reason}`],
    );
  },

  async deliveries(db: Queryable, endpointId: number, limit: number, offset: number): Promise<{ items: Array<DeliveryRow & { attempt_log: AttemptRow[] }>; total: number }> {
    const { rows } = await db.query<DeliveryRow & { attempt_log: AttemptRow[] | null; total: string }>(
      `SELECT d.*, count(*) OVER () AS total,
              (SELECT json_agg(a ORDER BY a.id) FROM webhook_attempts a WHERE a.delivery_id = d.id) AS attempt_log
         FROM webhook_deliveries d WHERE d.endpoint_id = $1 ORDER BY d.id DESC LIMIT $2 OFFSET $3`,
      [endpointId, limit, offset],
    );
    return {
      items: rows.map((r) => ({ ...deliveryOf(r), attempt_log: r.attempt_log ?? [] })),
      total: rows[0] ? Number(rows[0].total) : 0,
    };
  },

  /** Send a delivery again (same webhook-id, so receivers can tell it is the same event); false when there is no such delivery. */
  async replay(db: Queryable, endpointId: number, deliveryId: number): Promise<DeliveryRow | undefined> {
    const { rows } = await db.query<DeliveryRow>(
      `WITH d AS (UPDATE webhook_deliveries SET state = 'pending', next_attempt_at = NULL, delivered_at = NULL
                   WHERE id = $2 AND endpoint_id = $1 RETURNING *),
            j AS (SELECT ${ADD_JOB} FROM d)
       SELECT d.* FROM d, j`,
      [endpointId, deliveryId],
    );
    return rows[0] ? deliveryOf(rows[0]) : undefined;
  },
};
