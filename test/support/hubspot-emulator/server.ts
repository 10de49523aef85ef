// The emulator's HTTP server. Per request: down mode → injected failure →
// authentication → rate limits → latency → route → held answer. Listens on 127.0.0.1.
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { associationRoutes } from './associations.ts';
import { batchRoutes } from './batch.ts';
import { controlRoutes } from './control-http.ts';
import { createControl, type EmulatorControl, type ServerHooks } from './control.ts';
import { FAULT_BODIES, Faults, type Failure } from './faults.ts';
import { objectRoutes } from './objects.ts';
import { ownerRoutes } from './owners.ts';
import { pipelineRoutes } from './pipelines.ts';
import { propertyRoutes } from './properties.ts';
import { DEFAULT_RATE_LIMIT, RateLimiter, type RateLimitConfig } from './ratelimit.ts';
import { RequestLog, type RequestRecord } from './requests.ts';
import { accountRoutes } from './account.ts';
import { Router, requestKey, type Method } from './router.ts';
import { resolveObjectType } from './schema.ts';
import { searchRoutes } from './search.ts';
import { Store } from './store.ts';
import { WebhookDispatcher, type WebhookConfig } from './webhooks.ts';
import { HubSpotError, newCorrelationId, validationError, type ErrorBody, type RateLimitBody } from './wire.ts';

export interface EmulatorOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** The private-app token clients must send as `Authorization: Bearer <token>`. */
  token: string;
  portalId?: number;
  rateLimit?: Partial<RateLimitConfig>;
  /** How long writes take to become searchable (default 0). */
  searchLagMs?: number;
  /** With it, each write's lag is random between searchLagMs and this, mostly short, sometimes long. */
  searchLagMaxMs?: number;
  webhook?: WebhookConfig;
}

export interface HubSpotEmulator {
  /** The base path for the client, e.g. http://127.0.0.1:43121 */
  readonly url: string;
  readonly port: number;
  readonly token: string;
  readonly portalId: number;
  readonly control: EmulatorControl;
  close(): Promise<void>;
}

const UNAUTHENTICATED =
  'Authentication credentials not found. This API supports OAuth 2.0 authentication and you can find more details at https://developers.hubspot.com/docs/methods/auth/oauth-overview';

function listen(server: http.Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function parseJson(raw: string): unknown {
  if (raw.trim() === '') return undefined;
  try {
    return JSON.parse(raw) as unknown;
  } catch (err) {
    throw validationError(`Invalid input JSON on line 1, column 1: ${err instanceof Error ? err.message : String(err)}`);
  }
}

export async function startHubSpotEmulator(opts: EmulatorOptions): Promise<HubSpotEmulator> {
  const host = opts.host ?? '127.0.0.1';
  const portalId = opts.portalId ?? 4_242_424;
  const store = new Store(opts.searchLagMs ?? 0);
  store.searchLagMaxMs = opts.searchLagMaxMs;
  const requests = new RequestLog();
  const faults = new Faults();
  const limiter = new RateLimiter({ ...DEFAULT_RATE_LIMIT, ...opts.rateLimit });
  const webhooks = new WebhookDispatcher(portalId);
  webhooks.configure(opts.webhook);

  const router = new Router();
  for (const register of [objectRoutes, batchRoutes, searchRoutes, associationRoutes, ownerRoutes, pipelineRoutes, propertyRoutes]) {
    register(router, store);
  }
  accountRoutes(router, portalId);

  const sockets = new Set<Socket>();
  const server = http.createServer((req, res) => void handle(req, res));
  server.on('connection', (socket) => {
    if (faults.downMode === 'reset') return void socket.destroy();
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await listen(server, opts.port ?? 0, host);
  const port = (server.address() as AddressInfo).port;
  let listening = true;
  let closed = false;

  const hooks: ServerHooks = {
    async goDown(mode) {
      faults.downMode = mode;
      if (mode === '503') return;
      for (const s of sockets) s.destroy();
      if (mode === 'refuse' && listening) {
        listening = false;
        await new Promise<void>((resolve) => server.close(() => resolve()));
      }
      // Let clients in this process see their pooled keep-alive connections close.
      await new Promise((resolve) => setTimeout(resolve, 20));
    },
    async goUp() {
      faults.downMode = undefined;
      if (!listening && !closed) {
        listening = true;
        await listen(server, port, host);
      }
    },
  };
  const { control, dispose } = createControl({ store, requests, faults, limiter, webhooks, server: hooks });
  controlRoutes(router, control);

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://emulator');
    const method = (req.method ?? 'GET').toUpperCase() as Method;
    const match = router.match(method, url.pathname);
    const kind = match?.route.kind ?? 'api';
    const correlationId = newCorrelationId();
    const record: RequestRecord = {
      at: Date.now(),
      method,
      path: url.pathname,
      route: match ? `${method} ${match.route.template}` : 'unknown',
      key: match ? requestKey(match, (t) => resolveObjectType(t) ?? t) : `${method} ${url.pathname}`,
      kind,
      status: 0,
    };
    if (kind !== 'control') requests.add(record);
    let extraHeaders: Record<string, string> = {};
    const send = (status: number, body?: unknown, headers: Record<string, string> = {}, after?: () => void) => {
      record.status = status;
      const payload = body === undefined ? '' : typeof body === 'string' ? body : JSON.stringify(body);
      const type = typeof body === 'string' ? 'text/html;charset=utf-8' : 'application/json;charset=utf-8';
      res.writeHead(status, {
        ...extraHeaders,
        ...headers,
        'x-hubspot-correlation-id': correlationId,
        ...(payload ? { 'content-type': type, 'content-length': String(Buffer.byteLength(payload)) } : {}),
      });
      res.end(payload, after);
    };
    const sendFailure = (f: Failure) => {
      const headers: Record<string, string> = f.retryAfterS === undefined ? {} : { 'Retry-After': String(f.retryAfterS) };
      if (f.html) return send(f.status, `<html><body><h1>${f.status} ${http.STATUS_CODES[f.status] ?? ''}</h1></body></html>`, headers);
      const [category, message] = FAULT_BODIES[f.status] ?? (f.status >= 500 ? ['SERVICE_UNAVAILABLE', http.STATUS_CODES[f.status] ?? 'error'] : ['VALIDATION_ERROR', http.STATUS_CODES[f.status] ?? 'error']);
      const body: ErrorBody = { status: 'error', message, correlationId, category };
      send(f.status, body, headers);
    };
    try {
      if (faults.downMode === 'reset') return void req.socket.destroy();
      const raw = await readBody(req);
      if (kind !== 'control') {
        if (faults.downMode === '503') return sendFailure({ status: 503, html: false });
        const failure = faults.take(record);
        if (failure) return sendFailure(failure);
      }
      if (req.headers.authorization !== `Bearer ${opts.token}`) throw new HubSpotError(401, 'INVALID_AUTHENTICATION', UNAUTHENTICATED);
      if (kind !== 'control') {
        const admission = limiter.admit(kind);
        if (!admission.ok) {
          const body: RateLimitBody = {
            status: 'error',
            message: admission.message,
            errorType: 'RATE_LIMIT',
            category: 'RATE_LIMITS',
            correlationId,
            policyName: admission.policy,
            requestId: newCorrelationId(),
          };
          return send(429, body, admission.headers);
        }
        extraHeaders = admission.headers;
        const delay = faults.latencyFor(record);
        if (delay > 0) await new Promise((r) => setTimeout(r, delay));
      }
      if (!match) throw new HubSpotError(404, 'OBJECT_NOT_FOUND', `Unable to route ${method} ${url.pathname}`);
      const body = parseJson(raw);
      const reply = await match.route.handler({ method, path: url.pathname, query: url.searchParams, params: match.params, body, headers: req.headers });
      if (kind !== 'control') await faults.answerGate(record);
      send(reply.status, reply.body, reply.headers, reply.after);
    } catch (err) {
      if (err instanceof HubSpotError) return send(err.statusCode, err.body(correlationId), err.extras.headers);
      const message = err instanceof Error ? err.message : String(err);
      const body: ErrorBody = { status: 'error', message, correlationId, category: kind === 'control' ? 'EMULATOR_CONTROL' : 'INTERNAL_ERROR' };
      send(kind === 'control' ? 400 : 500, body);
    }
  }

  return {
    url: `http://${host}:${port}`,
    port,
    token: opts.token,
    portalId,
    control,
    async close() {
      closed = true;
      dispose();
      webhooks.clear();
      faults.clear();
      for (const s of sockets) s.destroy();
      if (listening) {
        listening = false;
        await new Promise<void>((resolve) => server.close(() => resolve()));
      }
    },
  };
}
