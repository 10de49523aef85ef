// The HTTP side of ringpath as a fastify plugin tree; it does not listen.
// server concerns (listen, signals) live in src/main.ts.
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Registry } from 'prom-client';
import type { Config } from '../config.ts';
import type { Pool } from '../db/pool.ts';
import type { Logger } from '../logger.ts';
import { apiAuth } from './plugins/api-auth.ts';
import { auditLog } from './plugins/audit.ts';
import { docs } from './plugins/docs.ts';
import { metrics } from './plugins/metrics.ts';
import { problem, sendProblem, toProblem } from './problem.ts';
import { healthRoutes, type ReadinessCheck } from './routes/health.ts';
import { recordingRoutes } from './routes/recordings.ts';
import { v1Routes } from './routes/v1/index.ts';
import { webhookRoutes } from './routes/webhooks.ts';
import { dniRoutes } from './routes/dni.ts';
import { snippetRoutes } from './routes/snippet.ts';
import { googleAdsFeedRoutes } from './routes/google-ads-feed.ts';
import { consoleFallback, consoleStaticRoutes } from './routes/console-static.ts';
import { dniSiteCache, type DniSiteCache } from '../dni/site-cache.ts';
import { allowedMethods, type KnownRoute } from './methods.ts';
import { validatorCompiler } from './validation.ts';
import { useJsonBodies } from './json-body.ts';
import type { RecordingLinks } from '../recordings/sign.ts';
import { ensureSecret } from '../db/repositories/secrets.ts';

export interface AppDeps {
  readonly config: Config;
  readonly pool: Pool;
  readonly logger: Logger;
  readonly readiness?: readonly ReadinessCheck[];
  /** Prometheus registry shared with the other parts of ringpath; a new one when absent. */
  readonly registry?: Registry;
  /** Signs and checks recording links; without it /recordings refuses every link. */
  readonly recordingLinks?: RecordingLinks;
}

export const API_VERSION = '0.1.0';

declare module 'fastify' {
  interface FastifyInstance {
    /** What the public DNI API caches of sites; the admin API drops it when it changes a site. */
    dniSites: DniSiteCache;
  }
}

export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: deps.logger.child({ component: 'http' }) as FastifyBaseLogger,
    bodyLimit: 1024 * 1024,
    // behind these proxies request.ip is the client's address from X-Forwarded-For
    trustProxy: deps.config.trustedProxies.length > 0 ? [...deps.config.trustedProxies] : false,
  }).withTypeProvider<TypeBoxTypeProvider>();
  const dniSites = dniSiteCache(deps.pool);
  app.decorate('dniSites', dniSites);

  app.setValidatorCompiler(validatorCompiler);
  useJsonBodies(app);
  app.setErrorHandler((err, request, reply) => {
    const p = toProblem(err, request);
    if (p.status >= 500) request.log.error({ err }, 'request failed');
    return sendProblem(reply, { ...p, instance: request.url });
  });
  const routes: KnownRoute[] = [];
  app.addHook('onRoute', (r) => {
    for (const method of [r.method].flat()) routes.push({ method, url: r.url });
  });
  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0]!;
    const allow = allowedMethods(routes, path);
    if (allow.length > 0) {
      reply.header('Allow', allow.join(', '));
      return sendProblem(reply, problem(405, 'METHOD_NOT_ALLOWED', `${path} does not answer ${request.method}; it answers ${allow.join(', ')}`));
    }
    // the console's own paths (deep links such as /employees/3) load the console
    return consoleFallback(request, reply) ?? sendProblem(reply, problem(404, 'NOT_FOUND', `no route for ${request.method} ${path}`));
  });

  await app.register(metrics, deps.registry ? { registry: deps.registry } : {});
  await app.register(docs, { version: API_VERSION });
  await app.register(healthRoutes, { db: deps.pool, checks: deps.readiness ?? [] });
  // outside the API-key scope: webhooks authenticate by their signature
  await app.register(webhookRoutes, { prefix: '/webhooks', deps });
  // outside the API-key scope too: a recording link's signature is its credential
  await app.register(recordingRoutes, { prefix: '/recordings', deps });
  // outside the API-key scope too: the public DNI API names a site by its public key
  await app.register(dniRoutes, { prefix: '/dni/v1', deps, sites: dniSites });
  // outside the API-key scope too: Google Ads fetches the feed with basic auth
  await app.register(googleAdsFeedRoutes, { prefix: '/exports', deps });
  // the snippet sites put on their pages (GET /dni.js)
  await app.register(snippetRoutes, {});
  // the web console at / (dist/console, built by npm install)
  await app.register(consoleStaticRoutes, {});
  await app.register(
    async (api) => {
      await api.register(apiAuth, {
        db: deps.pool,
        logger: deps.logger,
        sessionSecret: await ensureSecret(deps.pool, 'console-sessions'),
        sessionTtlS: deps.config.console.sessionTtlS,
      });
      await api.register(auditLog, { db: deps.pool });
      await api.register(v1Routes, { deps });
    },
    { prefix: '/api/v1' },
  );
  return app;
}
