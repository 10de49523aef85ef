// Pipelines (deals only; other object types have none here).
//   GET /crm/v3/pipelines/{objectType}
//   GET /crm/v3/pipelines/{objectType}/{pipelineId}
//   GET /crm/v3/pipelines/{objectType}/{pipelineId}/stages
// Stage metadata carries isClosed ('true'/'false') and probability ('0.0'–'1.0') as strings.
import type { CollectionResponsePipelineNoPaging } from '@hubspot/api-client/lib/codegen/crm/pipelines/index.js';
import type { Ctx, Router } from './router.ts';
import { typeParam } from './serialize.ts';
import { makePipeline, type PipelineRecord, type StageSeed, type Store } from './store.ts';
import { notFoundError, type Wire } from './wire.ts';

export interface PipelineSeed {
  id?: string;
  label: string;
  stages: StageSeed[];
}

export function addPipeline(store: Store, seed: PipelineSeed): PipelineRecord {
  const existing = store.pipelines.get('deals') ?? [];
  const id = seed.id ?? store.newId();
  const stages = seed.stages.map((s) => ({ ...s, id: s.id ?? store.newId() }));
  const pipeline = makePipeline(id, seed.label, stages, existing.length);
  store.pipelines.set('deals', [...existing.filter((p) => p.id !== pipeline.id), pipeline]);
  return pipeline;
}

function pipelinesOf(store: Store, ctx: Ctx): PipelineRecord[] {
  return (store.pipelines.get(typeParam(ctx)) ?? []).filter((p) => !p.archived);
}

function onePipeline(store: Store, ctx: Ctx): PipelineRecord {
  const id = ctx.params.pipelineId ?? '';
  const pipeline = pipelinesOf(store, ctx).find((p) => p.id === id);
  if (!pipeline) throw notFoundError(`Unable to find pipeline ${id}`, { context: { pipelineId: [id] } });
  return pipeline;
}

export function pipelineRoutes(router: Router, store: Store): void {
  router.add('GET', '/crm/v3/pipelines/{objectType}', (ctx) => {
    const body: Wire<CollectionResponsePipelineNoPaging> = { results: pipelinesOf(store, ctx) };
    return { status: 200, body };
  });
  router.add('GET', '/crm/v3/pipelines/{objectType}/{pipelineId}', (ctx) => ({ status: 200, body: onePipeline(store, ctx) }));
  router.add('GET', '/crm/v3/pipelines/{objectType}/{pipelineId}/stages', (ctx) => ({
    status: 200,
    body: { results: onePipeline(store, ctx).stages.filter((s) => !s.archived) },
  }));
}
