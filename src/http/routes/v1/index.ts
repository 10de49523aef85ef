import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../../app.ts';
import { siteRoutes } from './sites.ts';

/** Every /api/v1 resource; each file is one resource and its URL prefix. */
export async function v1Routes(app: FastifyInstance, opts: { deps: AppDeps }): Promise<void> {
  await app.register(siteRoutes, { prefix: '/sites', deps: opts.deps });
}
