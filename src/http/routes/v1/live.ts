// The console's live view over server-sent events: the calls in progress now
// (each principal within its scope of calls, like the call log), and missed-call
// notifications for the signed-in employee (every missed call for a head who asked for them),
// each of which can be put off for 15 minutes or an hour, or dismissed. The
// stream reads PostgreSQL every LIVE_POLL_MS, so it sees calls stored by any
// ringpath process, and sends each list whenever it changed.
import type { ServerResponse } from 'node:http';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { callLogWhere } from '../../../calls/log-filter.ts';
import { liveCallStore } from '../../../calls/live-store.ts';
import { LIVE_CALL_MAX_AGE_H } from '../../../calls/live.ts';
import { callScope } from '../../../auth/access.ts';
import {
  fingerprint,
  mayNotifyEveryMissedCall,
  notifyScope,
  NOTIFY_WINDOW_H,
  SNOOZE_MINUTES,
  type Notification,
} from '../../../console/notifications.ts';
import type { Queryable } from '../../../db/pool.ts';
import { AppError } from '../../../errors.ts';
import type { AppDeps } from '../../app.ts';
import { ProblemSchema, errorResponses } from '../../schemas/common.ts';

export const LIVE_POLL_MS = 2000;
const PING_MS = 15_000;

const NotificationSchema = Type.Object({
  call_id: Type.String({ format: 'uuid', description: 'the missed call, as in the call log' }),
  caller: Type.Union([Type.String(), Type.Null()], { description: 'the number to call back, in E.164' }),
  started_at: Type.String({ format: 'date-time', description: 'when the call came in' }),
  source: Type.String({ description: 'the attributed source\'s label, e.g. "Google Ads"; empty when the call has none' }),
  tracking_number: Type.Union([Type.String(), Type.Null()], { description: 'the tracking number that was called, in E.164; null when unknown' }),
  reminded: Type.Boolean({ description: 'it was snoozed and the snooze ran out' }),
});
const Notifications = Type.Object({
  items: Type.Array(NotificationSchema, { description: `the missed calls of the last ${NOTIFY_WINDOW_H} h not yet called back, snoozed or dismissed, newest first (50 at most)` }),
  count: Type.Integer({ description: 'how many notifications there are in items' }),
});
const Nullable = <T extends ReturnType<typeof Type.String>>(schema: T) => Type.Union([schema, Type.Null()]);
const LiveCallSchema = Type.Object({
  call_id: Type.String({ format: 'uuid', description: 'the id the call will have in the call log once it ends' }),
  direction: Type.String({ description: 'inbound, outbound or internal' }),
  caller: Nullable(Type.String({ description: 'the caller in E.164; null when withheld' })),
  tracking_number: Nullable(Type.String({ description: 'the tracking number that was called, in E.164' })),
  source: Nullable(Type.String({ description: "the attributed source's label, e.g. \"Google Ads\"" })),
  started_at: Type.String({ format: 'date-time', description: 'when the call came in' }),
  answered_at: Nullable(Type.String({ format: 'date-time', description: 'when it was answered; null while it rings' })),
  answered_by_employee_id: Type.Union([Type.Integer(), Type.Null()], { description: 'the employee talking; null while it rings or when a number outside ringpath answered' }),
});
const LiveCalls = Type.Object({ items: Type.Array(LiveCallSchema, { description: 'the calls in progress, newest first' }), count: Type.Integer({ description: 'how many calls are in progress' }) });

/** The calls in progress the principal may see (src/auth/access.ts callScope). */
async function liveCallsFor(db: Queryable, req: FastifyRequest) {
  const scope = callScope(req.principal!);
  const items = await liveCallStore.list(db, scope.all ? {} : { visibleToEmployeeId: scope.employeeId });
  return { items, count: items.length };
}
const CallRef = Type.Object({ call_id: Type.String({ format: 'uuid', description: 'the missed call of the notification' }) }, { additionalProperties: false });
const Snooze = Type.Object(
  { call_id: Type.String({ format: 'uuid', description: 'the missed call of the notification' }), minutes: Type.Union(SNOOZE_MINUTES.map((m) => Type.Literal(m)), { description: '15 or 60' }) },
  { additionalProperties: false },
);
const Preferences = Type.Object(
  {
    notify_every_missed_call: Type.Boolean({
      description: "notify me of every missed call, not only my own clients' (only a head may turn it on)",
    }),
  },
  { additionalProperties: false },
);

async function notificationsFor(db: Queryable, req: FastifyRequest): Promise<Notification[]> {
  const principal = req.principal!;
  if (principal.kind !== 'employee') return [];
  const { rows: pref } = await db.query<{ notify_every_missed_call: boolean }>('SELECT notify_every_missed_call FROM employees WHERE id = $1', [principal.id]);
  const scope = notifyScope(principal, pref[0]?.notify_every_missed_call ?? false);
  if (scope.kind === 'none') return [];
  const own = scope.kind === 'own' ? callLogWhere({ visibleToEmployeeId: scope.employeeId }, 3) : { where: '', params: [] };
  const { rows } = await db.query<{ id: string; caller: string | null; started_at: Date; source: string | null; tracking_number: string | null; reminded: boolean }>(
    `SELECT c.id, c.caller, c.started_at, c.attribution ->> 'label' AS source, c.tracking_number, s.hidden_until IS NOT NULL AS reminded
       FROM calls c
       LEFT JOIN console_notification_state s ON s.call_id = c.id AND s.employee_id = $1
      WHERE c.direction = 'inbound' AND NOT c.is_test AND c.disposition <> 'answered' AND c.caller IS NOT NULL
        AND c.started_at > now() - make_interval(hours => $2)
        AND (s.hidden_until IS NULL OR s.hidden_until <= now())
        AND NOT EXISTS (SELECT 1 FROM calls o WHERE o.direction = 'outbound' AND o.callee = c.caller AND o.started_at > c.started_at)
        ${own.where ? `AND ${own.where.slice('WHERE '.length)}` : ''}
      ORDER BY c.started_at DESC, c.id LIMIT 50`,
    [principal.id, NOTIFY_WINDOW_H, ...own.params],
  );
  return rows.map((r) => ({
    call_id: r.id,
    caller: r.caller,
    started_at: r.started_at.toISOString(),
    source: r.source ?? '',
    tracking_number: r.tracking_number,
    reminded: r.reminded,
  }));
}

function employeeOnly(req: FastifyRequest): number {
  const p = req.principal!;
  if (p.kind !== 'employee') throw new AppError('FORBIDDEN', 'notifications belong to a signed-in employee, not to an API key');
  return p.id;
}

export async function liveRoutes(fastify: FastifyInstance, opts: { deps: AppDeps }): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { pool } = opts.deps;
  const tags = ['console'];
  const streams = new Set<ServerResponse>();
  app.addHook('preClose', async () => {
    for (const s of streams) s.end();
  });

  app.get('/notifications', {
    schema: {
      tags,
      summary: 'Your missed-call notifications now',
      description: `The inbound calls of the last ${NOTIFY_WINDOW_H} h that were not answered and whose caller nobody has called back since, except those you snoozed (until the snooze runs out) or dismissed. You are told of your own clients' calls, like the call log shows them to a sales rep; a head who turned on notify_every_missed_call is told of every missed call. An API key has no notifications: the list is empty.`,
      response: { 200: Notifications, ...errorResponses },
    },
  }, async (req) => {
    const items = await notificationsFor(pool, req);
    return { items, count: items.length };
  });

  app.get(
    '/calls',
    {
      schema: {
        tags,
        summary: 'The calls in progress now',
        description: `Calls that are ringing or being talked, newest first: added when a call comes in, marked when answered, gone when it ends (and after ${LIVE_CALL_MAX_AGE_H} h at most, should an end be lost). A sales rep, and anyone at the employee access level, sees only calls with their own clients: answered by them, or from a caller whose CRM contact they own.`,
        response: { 200: LiveCalls, ...errorResponses },
      },
    },
    async (req) => liveCallsFor(pool, req),
  );

  app.get('/events', {
    schema: {
      tags,
      summary: 'Server-sent events: `calls` (the calls in progress) and `notifications` (the missed calls), each list whenever it changes',
      description: `A text/event-stream that stays open. Each \`calls\` event carries what GET /api/v1/live/calls returns, each \`notifications\` event what GET /api/v1/live/notifications returns; both are sent at once, then again whenever they change (checked every ${LIVE_POLL_MS / 1000} s). A comment is sent every ${PING_MS / 1000} s to keep the connection open. The stream ends when the console session ends (logout, expiry, a password change elsewhere).`,
    },
  }, async (req, reply) => {
    reply.hijack();
    const raw = reply.raw;
    raw.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', connection: 'keep-alive', 'x-accel-buffering': 'no' });
    raw.write(`retry: ${LIVE_POLL_MS}\n\n`);
    streams.add(raw);
    let last: string | undefined;
    let lastCalls: string | undefined;
    let busy = false;
    const sessionId = req.principal?.kind === 'employee' ? req.session.sessionId : undefined;
    const tick = async () => {
      if (busy) return;
      busy = true;
      try {
        // a session that ended (logout, a password change elsewhere, expiry) ends its stream too
        if (sessionId !== undefined) {
          const { rowCount } = await pool.query('SELECT 1 FROM console_sessions WHERE sid = $1 AND expire > now()', [sessionId]);
          if (!rowCount) {
            raw.end();
            return;
          }
        }
        const calls = await liveCallsFor(pool, req);
        const callsFp = JSON.stringify(calls.items);
        if (callsFp !== lastCalls) {
          lastCalls = callsFp;
          raw.write(`event: calls\ndata: ${JSON.stringify(calls)}\n\n`);
        }
        const items = await notificationsFor(pool, req);
        const fp = fingerprint(items);
        if (fp !== last) {
          last = fp;
          raw.write(`event: notifications\ndata: ${JSON.stringify({ items, count: items.length })}\n\n`);
        }
      } catch (err) {
        req.log.warn({ err }, 'live view: could not read the calls in progress or the notifications');
      } finally {
        busy = false;
      }
    };
    const poll = setInterval(() => void tick(), LIVE_POLL_MS);
    const ping = setInterval(() => raw.write(': ping\n\n'), PING_MS);
    raw.on('close', () => {
      clearInterval(poll);
      clearInterval(ping);
      streams.delete(raw);
    });
    await tick();
  });

  app.post(
    '/snooze',
    { schema: { tags, summary: 'Remind me of this missed call in 15 minutes or an hour',
        description: 'Hides the notification for the given minutes; it comes back marked reminded when they run out, if the caller has not been called back by then. Only for a signed-in employee (403 for an API key); 422 REFERENCE_NOT_FOUND when the call does not exist.',
        body: Snooze, response: { 204: Type.Null(), ...errorResponses, 403: ProblemSchema } } },
    async (req, reply) => {
      const employeeId = employeeOnly(req);
      await hide(pool, employeeId, req.body.call_id, `now() + make_interval(mins => ${req.body.minutes})`);
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/dismiss',
    { schema: { tags, summary: 'Stop telling me about this missed call',
        description: 'Hides the notification for good, for you only; other employees still see theirs. Only for a signed-in employee (403 for an API key); 422 REFERENCE_NOT_FOUND when the call does not exist.',
        body: CallRef, response: { 204: Type.Null(), ...errorResponses, 403: ProblemSchema } } },
    async (req, reply) => {
      await hide(pool, employeeOnly(req), req.body.call_id, `'infinity'::timestamptz`);
      return reply.code(204).send(null);
    },
  );

  app.patch(
    '/preferences',
    {
      schema: {
        tags,
        summary: 'Your live-view settings: "notify me of every missed call" (heads only)',
        description: 'Turns notify_every_missed_call on or off for the signed-in employee and returns the settings now. Only a head may turn it on (403 otherwise); an API key has no settings (403).',
        body: Preferences,
        response: { 200: Preferences, ...errorResponses, 403: ProblemSchema },
      },
    },
    async (req) => {
      const employeeId = employeeOnly(req);
      if (req.body.notify_every_missed_call && !mayNotifyEveryMissedCall(req.principal!)) {
        throw new AppError('FORBIDDEN', 'only a head may be notified of every missed call');
      }
      await pool.query('UPDATE employees SET notify_every_missed_call = $2 WHERE id = $1', [employeeId, req.body.notify_every_missed_call]);
      return { notify_every_missed_call: req.body.notify_every_missed_call };
    },
  );

  app.get('/preferences', {
    schema: {
      tags,
      summary: 'Your live-view settings',
      description: "Whether the signed-in employee is notified of every missed call or only of their own clients'. Only for a signed-in employee (403 for an API key).",
      response: { 200: Preferences, ...errorResponses, 403: ProblemSchema },
    },
  }, async (req) => {
    const { rows } = await pool.query<{ notify_every_missed_call: boolean }>('SELECT notify_every_missed_call FROM employees WHERE id = $1', [employeeOnly(req)]);
    return { notify_every_missed_call: rows[0]?.notify_every_missed_call ?? false };
  });
}

/** Hides a call the employee may be told about until `until` (an SQL expression of ours, never input). */
async function hide(db: Queryable, employeeId: number, callId: string, until: string): Promise<void> {
  const { rowCount } = await db.query(
    `INSERT INTO console_notification_state (employee_id, call_id, hidden_until)
     SELECT $1, id, ${until} FROM calls WHERE id = $2
     ON CONFLICT (employee_id, call_id) DO UPDATE SET hidden_until = EXCLUDED.hidden_until`,
    [employeeId, callId],
  );
  if (!rowCount) throw AppError.field('REFERENCE_NOT_FOUND', '/call_id', `call ${callId} does not exist`);
}
