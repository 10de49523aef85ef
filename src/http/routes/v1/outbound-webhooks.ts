// Outgoing webhook subscriptions (/api/v1/webhooks): create (the secret is shown
// once), list, read, change, delete, the delivery log and the replay action.
// Incoming HubSpot webhooks are another thing: src/http/routes/webhooks.ts.
import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { AppError, notFound, type FieldProblem } from '../../../errors.ts';
import { refusedLiteral } from '../../../outbound/ssrf.ts';
import { webhookStore, type DeliveryRow, type EndpointRow, type AttemptRow } from '../../../outbound/webhook-store.ts';
import type { AppDeps } from '../../app.ts';
import { IdParams, ListQuery, Page, errorResponses } from '../../schemas/common.ts';
import { DeliveryParams, Webhook, WebhookCreate, WebhookCreated, WebhookDelivery, WebhookUpdate } from '../../schemas/outbound.ts';

const invalid = (problems: FieldProblem[]): AppError =>
  new AppError('VALIDATION_FAILED', `invalid request: ${problems.map((p) => `${p.field} ${p.message}`).join('; ')}`, problems);

/**
 * Why a destination URL cannot be used, or undefined. A private or loopback IP
 * (or localhost) is refused here already unless `allowPrivate`; host names are
 * checked on every delivery, where they are resolved.
 */
export function urlProblem(raw: string, allowPrivate = false): string | undefined {
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    return 'is not a URL';
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:') return `must be http or https (got ${u.protocol.replace(':', '')})`;
  if (u.username || u.password) return 'must not carry a user name or password';
  const refused = refusedLiteral(u, allowPrivate);
  if (refused) return `is refused: ${refused} (WEBHOOK_ALLOW_PRIVATE allows it)`;
  return undefined;
}

/** Why a secret is not a Standard Webhooks secret (whsec_ + base64 of 24 to 64 bytes), or undefined. */
export function secretProblem(secret: string): string | undefined {
  const m = /^whsec_([A-Za-z0-9+/]+={0,2})$/.exec(secret);
  if (!m) return 'must be whsec_ followed by base64';
  const bytes = Buffer.from(m[1]!, 'base64').length;
  if (bytes < 24 || bytes > 64) return `must hold 24 to 64 bytes (this one holds ${bytes})`;
  return undefined;
}

export const newSecret = (): string => `whsec_${randomBytes(32).toString('base64')}`;

const iso = (d: Date | null) => (d ? d.toISOString() : null);

function toWebhook(r: EndpointRow): Webhook {
  return {
    id: r.id,
    url: r.url,
    event_types: r.event_types,
    description: r.description,
    enabled: r.enabled,
    disabled_reason: r.disabled_reason,
    disabled_at: iso(r.disabled_at),
    consecutive_failures: r.consecutive_failures,
    created_at: r.created_at.toISOString(),
    updated_at: r.updated_at.toISOString(),
  };
}

function toDelivery(r: DeliveryRow & { attempt_log: AttemptRow[] }): WebhookDelivery {
  return {
    id: r.id,
    message_id: r.message_id,
    event_type: r.event_type,
    call_id: r.call_id,
    state: r.state,
    attempts: r.attempts,
    last_error: r.last_error,
    next_attempt_at: iso(r.next_attempt_at),
    created_at: r.created_at.toISOString(),
    delivered_at: iso(r.delivered_at),
    attempt_log: r.attempt_log.map((a) => ({
      attempted_at: new Date(a.attempted_at).toISOString(),
      status_code: a.status_code,
      error: a.error,
      duration_ms: a.duration_ms,
    })),
  };
}

export async function outboundWebhookRoutes(fastify: FastifyInstance, opts: { deps: AppDeps }): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { pool } = opts.deps;
  const allowPrivate = opts.deps.config.outbound.allowPrivateDestinations;
  const tags = ['webhooks'];

  app.post(
    '/',
    {
      schema: {
        tags,
        summary: 'Subscribe an endpoint to call events',
        description:
          'The answer carries the signing secret, once: only this answer shows it. Deliveries are signed as Standard Webhooks (webhook-id, webhook-timestamp, webhook-signature). A private, loopback or link-local destination is refused unless WEBHOOK_ALLOW_PRIVATE is set.',
        body: WebhookCreate,
        response: { 201: WebhookCreated, ...errorResponses },
      },
    },
    async (req, reply) => {
      const problems: FieldProblem[] = [];
      const u = urlProblem(req.body.url, allowPrivate);
      if (u) problems.push({ field: '/url', message: u });
      const s = req.body.secret === undefined ? undefined : secretProblem(req.body.secret);
      if (s) problems.push({ field: '/secret', message: s });
      if (problems.length) throw invalid(problems);
      const secret = req.body.secret ?? newSecret();
      const row = await webhookStore.create(pool, { url: req.body.url, eventTypes: req.body.event_types, secret, description: req.body.description ?? null });
      return reply.code(201).send({ ...toWebhook(row), secret });
    },
  );

  app.get('/', { schema: { tags, summary: 'List webhook subscriptions', description: 'Every subscription, oldest first, with whether it is enabled and why it was disabled. Secrets are never shown again.', querystring: ListQuery, response: { 200: Page(Webhook), ...errorResponses } } }, async (req) => {
    const page = await webhookStore.list(pool, req.query.limit, req.query.offset);
    return { items: page.items.map(toWebhook), total: page.total, limit: req.query.limit, offset: req.query.offset };
  });

  app.get('/:id', { schema: { tags, summary: 'Read a webhook subscription', description: 'One subscription, with its failures in a row and, when disabled, why and since when.', params: IdParams, response: { 200: Webhook, ...errorResponses } } }, async (req) => {
    const row = await webhookStore.get(pool, req.params.id);
    if (!row) throw notFound('webhook', req.params.id);
    return toWebhook(row);
  });

  app.patch('/:id', { schema: { tags, summary: 'Change a webhook subscription', description: 'Change its URL, events or note; `enabled: true` turns a disabled endpoint back on and clears its failures. The secret cannot change: subscribe anew for a new one.', params: IdParams, body: WebhookUpdate, response: { 200: Webhook, ...errorResponses } } }, async (req) => {
    const u = req.body.url === undefined ? undefined : urlProblem(req.body.url, allowPrivate);
    if (u) throw invalid([{ field: '/url', message: u }]);
    const row = await webhookStore.update(pool, req.params.id, {
      ...(req.body.url !== undefined ? { url: req.body.url } : {}),
      ...(req.body.event_types !== undefined ? { eventTypes: req.body.event_types } : {}),
      ...(req.body.description !== undefined ? { description: req.body.description } : {}),
      ...(req.body.enabled !== undefined ? { enabled: req.body.enabled } : {}),
    });
    if (!row) throw notFound('webhook', req.params.id);
    return toWebhook(row);
  });

  app.delete('/:id', { schema: { tags, summary: 'Delete a webhook subscription', description: 'Nothing more is sent to it; its delivery log goes with it.', params: IdParams } }, async (req, reply) => {
    if (!(await webhookStore.remove(pool, req.params.id))) throw notFound('webhook', req.params.id);
    return reply.code(204).send();
  });

  app.get(
    '/:id/deliveries',
    { schema: { tags, summary: 'The delivery log, newest first, with every attempt', description: 'Each delivery with its state (pending, delivered, failed), its attempts with their status codes and errors, and when the next attempt is due.', params: IdParams, querystring: ListQuery, response: { 200: Page(WebhookDelivery), ...errorResponses } } },
    async (req) => {
      if (!(await webhookStore.get(pool, req.params.id))) throw notFound('webhook', req.params.id);
      const page = await webhookStore.deliveries(pool, req.params.id, req.query.limit, req.query.offset);
      return { items: page.items.map((d) => toDelivery(d)), total: page.total, limit: req.query.limit, offset: req.query.offset };
    },
  );

  app.post(
    '/:id/deliveries/:deliveryId/replay',
    { schema: { tags, summary: 'Send a delivery again, with the same webhook-id', description: 'Queues the delivery again (202); the receiver sees the same webhook-id, so it can tell a replay from a new event. A disabled endpoint must be enabled first (409 WEBHOOK_DISABLED).', params: DeliveryParams } },
    async (req, reply) => {
      const endpoint = await webhookStore.get(pool, req.params.id);
      if (!endpoint) throw notFound('webhook', req.params.id);
      if (!endpoint.enabled) throw new AppError('WEBHOOK_DISABLED', `webhook ${req.params.id} is disabled (${endpoint.disabled_reason ?? 'no reason'}); enable it first`);
      const d = await webhookStore.replay(pool, req.params.id, req.params.deliveryId);
      if (!d) throw notFound('delivery', req.params.deliveryId);
      return reply.code(202).send({ id: d.id, state: 'pending' });
    },
  );
}
