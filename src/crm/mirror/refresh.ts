// "Refresh CRM data": owners, deal pipelines and stages (which decide whether a
// deal is open), and the CRM's phone-typed contact properties.
import { withTransaction } from '../../db/pool.ts';
import { replaceDiscoveredPhoneProperties, replaceOwners, replacePipelines, type CatalogCounts } from './catalog.ts';
import { recomputeOpenDeals } from './store.ts';
import type { MirrorContext } from './types.ts';
import { componentLogger } from '../../logger.ts';

export async function refreshCatalog(ctx: MirrorContext): Promise<CatalogCounts> {
  const log = componentLogger(ctx.logger, 'crm-mirror');
  // Read everything first, then write in one transaction: a failed read changes nothing.
  const owners = await ctx.source.owners();
  const pipelines = await ctx.source.dealPipelines();
  const phoneProperties = await ctx.source.phoneProperties();
  const counts = await withTransaction(ctx.pool, async (db) => {
    const activeOwners = await replaceOwners(db, owners);
    const p = await replacePipelines(db, pipelines);
    await replaceDiscoveredPhoneProperties(db, phoneProperties);
    const changed = await recomputeOpenDeals(db);
    const { rows } = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM crm_phone_properties');
    return { owners: activeOwners, pipelines: p.pipelines, stages: p.stages, phoneProperties: rows[0]?.n ?? 0, dealsReopenedOrClosed: changed };
  });
  log.info(counts, `CRM data refreshed: ${counts.owners} owners, ${counts.pipelines} pipelines, ${counts.stages} stages`);
  return counts;
}
