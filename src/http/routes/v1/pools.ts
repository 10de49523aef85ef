import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../../app.ts';

export async function poolRoutes(fastify: FastifyInstance, opts: { deps: AppDeps }): Promise<void> {
  void fastify;
  void opts;
}
