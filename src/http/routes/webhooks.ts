// POST /webhooks/hubspot: HubSpot's change events for the CRM mirror. No API
// key: the request authenticates by its v3 signature, over the body exactly as
// received. Deletions apply at once; other events queue their records to be
// re-read (src/crm/mirror/webhook-queue.ts), so HubSpot gets its answer without
// waiting for a CRM call.
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { parseWebhookEvents } from '../../crm/mirror/webhook-events.ts';
import { queueWebhookActions } from '../../crm/mirror/webhook-queue.ts';
import { checkSignatureV3 } from '../../crm/mirror/webhook-signature.ts';
import type { AppDeps } from '../app.ts';
import { locateJsonError } from '../json-body.ts';
import { problem, sendProblem } from '../problem.ts';
import { ProblemSchema } from '../schemas/common.ts';
import { WebhookAccepted } from '../schemas/crm.ts';
import { CRM_SYNC_OFF } from './v1/crm.ts';

const header = (v: string | string[] | undefined): string | undefined => (Array.isArray(v) ? v[0] : v);

export async function webhookRoutes(fastify: FastifyInstance, opts: { deps: AppDeps }): Promise<void> {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { config, pool } = opts.deps;
  // The signature covers the raw body: keep it as text here (this plugin only).
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => done(null, body));

  const problems = { 400: ProblemSchema, 401: ProblemSchema, 409: ProblemSchema };
  app.post(
    '/hubspot',
    {
      schema: {
        tags: ['webhooks'],
        summary: 'HubSpot webhook events (signature v3)',
        description:
          'Point the HubSpot app at this URL. Each batch is checked against HUBSPOT_WEBHOOK_SECRET (401 otherwise); contacts and deals it names ' +
          'are queued to be re-read into the CRM mirror.',
        response: { 200: WebhookAccepted, ...problems },
      },
    },
    async (request, reply) => {
      if (!config.crm.hubspotToken) return sendProblem(reply, problem(409, 'CRM_SYNC_OFF', CRM_SYNC_OFF));
      const secret = config.crm.hubspotWebhookSecret;
      if (!secret) {
        request.log.warn('a HubSpot webhook arrived but HUBSPOT_WEBHOOK_SECRET is not set; refused');
        return sendProblem(reply, problem(401, 'WEBHOOK_SIGNATURE_INVALID', 'webhooks are refused: set HUBSPOT_WEBHOOK_SECRET (the HubSpot app\'s client secret) to check their signatures'));
      }
      const body = typeof request.body === 'string' ? request.body : '';
      const check = checkSignatureV3(secret, {
        method: request.method,
        uri: `${config.publicUrl}${request.url}`,
        body,
        signature: header(request.headers['x-hubspot-signature-v3']),
        timestamp: header(request.headers['x-hubspot-request-timestamp']),
      });
      if (!check.ok) {
        request.log.warn({ reason: check.reason }, `HubSpot webhook refused: ${check.message}`);
        return sendProblem(reply, problem(401, 'WEBHOOK_SIGNATURE_INVALID', `${check.message} (the URL signed is ${config.publicUrl}${request.url}; check PUBLIC_URL)`));
      }
      let json: unknown;
      try {
        json = JSON.parse(body);
      } catch {
        const at = locateJsonError(body);
        const where = at ? `: line ${at.line}, column ${at.column}: ${at.reason}` : '';
        return sendProblem(reply, problem(400, 'INVALID_JSON', `the body is not valid JSON${where}`));
      }
      const parsed = parseWebhookEvents(json);
      if (!parsed.ok) return sendProblem(reply, problem(400, 'VALIDATION_FAILED', parsed.message));
      const { queued, deleted } = await queueWebhookActions(pool, parsed.actions);
      request.log.info({ queued, deleted, ignored: parsed.actions.ignored }, 'HubSpot webhook accepted');
      return { queued, deleted, ignored: parsed.actions.ignored };
    },
  );
}
