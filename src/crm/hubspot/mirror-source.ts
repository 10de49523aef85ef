// HubSpot reads for the CRM mirror (the MirrorSource port), every one through
// the gateway: list pages for the full sync, search for the incremental sync,
// batch reads for webhooks, and the reference data "Refresh CRM data" reloads.
import type { Client } from '@hubspot/api-client';
import { FilterOperatorEnum } from '@hubspot/api-client/lib/codegen/crm/objects/index.js';
import { isMirroredPhoneProperty, MODIFIED_PROPERTY } from '../mirror/records.ts';
import type { HubSpotRecord, MirrorObjectType, MirrorSource, OwnerRecord, PipelineRecord, SearchPage, SourcePage } from '../mirror/types.ts';
import type { HubSpotGateway } from './client.ts';

/** HubSpot's largest page for list reads, search and batch reads. */
export const LIST_PAGE = 100;
export const BATCH_SIZE = 100;
/** Ids per associations v4 batch read (HubSpot takes up to 1,000). */
const ASSOCIATION_BATCH = 500;

interface RawRecord {
  readonly id: string;
  readonly properties: Readonly<Record<string, string | null>>;
  readonly updatedAt?: Date;
  readonly associations?: Readonly<Record<string, { readonly results: ReadonlyArray<{ readonly id: string }> }>>;
}

const chunks = <T>(items: readonly T[], size: number): T[][] =>
  Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, (i + 1) * size));

function toRecord(raw: RawRecord, withContacts: boolean): HubSpotRecord {
  const base = { id: String(raw.id), properties: raw.properties, updatedAt: raw.updatedAt };
  if (!withContacts) return base;
  const ids = (raw.associations?.contacts?.results ?? []).map((a) => String(a.id));
  return { ...base, contactIds: [...new Set(ids)] };
}

function objects(client: Client, type: MirrorObjectType) {
  return type === 'contacts' ? client.crm.contacts : client.crm.deals;
}

/** The client declares sorts as strings; HubSpot documents { propertyName, direction } objects and takes both. */
const ascending = (propertyName: string) => ({ propertyName, direction: 'ASCENDING' }) as unknown as string;

export function hubspotMirrorSource(gateway: HubSpotGateway): MirrorSource {
  const source: MirrorSource = {
    async listPage(type, after, properties): Promise<SourcePage> {
      const res = await gateway.call('standard', `list ${type}`, (c) =>
        objects(c, type).basicApi.getPage(LIST_PAGE, after, [...properties], undefined, type === 'deals' ? ['contacts'] : undefined, false),
      );
      return { records: res.results.map((r) => toRecord(r, type === 'deals')), after: res.paging?.next?.after };
    },

    async count(type) {
      const res = await gateway.call('search', `count ${type}`, (c) => objects(c, type).searchApi.doSearch({ filterGroups: [], limit: 1, properties: ['hs_object_id'] }));
      return res.total;
    },

    async searchModified(type, sinceMs, after, properties, limit): Promise<SearchPage> {
      const modified = MODIFIED_PROPERTY[type];
      const res = await gateway.call('search', `search ${type} modified since ${new Date(sinceMs).toISOString()}`, (c) =>
        objects(c, type).searchApi.doSearch({
          filterGroups: [{ filters: [{ propertyName: modified, operator: FilterOperatorEnum.Gte, value: String(sinceMs) }] }],
          sorts: [ascending(modified)],
          properties: [...properties],
          limit,
          ...(after !== undefined ? { after } : {}),
        }),
      );
      return { records: res.results.map((r) => toRecord(r, false)), after: res.paging?.next?.after, total: res.total };
    },

    async batchRead(type, ids, properties) {
      const found: HubSpotRecord[] = [];
      for (const batch of chunks([...new Set(ids)], BATCH_SIZE)) {
        const res = await gateway.call('standard', `read ${batch.length} ${type}`, (c) =>
          objects(c, type).batchApi.read({ inputs: batch.map((id) => ({ id })), properties: [...properties], propertiesWithHistory: [] }, false),
        );
        found.push(...res.results.map((r) => toRecord(r, false)));
      }
      if (type !== 'deals' || found.length === 0) return found;
      const contacts = await source.dealContacts(found.map((r) => r.id));
      return found.map((r) => ({ ...r, contactIds: contacts.get(r.id) ?? [] }));
    },

    async dealContacts(dealIds) {
      const out = new Map<string, string[]>(dealIds.map((id) => [id, []]));
      for (const batch of chunks([...new Set(dealIds)], ASSOCIATION_BATCH)) {
        const res = await gateway.call('standard', `read contacts of ${batch.length} deals`, (c) =>
          c.crm.associations.v4.batchApi.getPage('deals', 'contacts', { inputs: batch.map((id) => ({ id })) }),
        );
        // v4 bodies carry ids as JSON numbers although the model says strings
        for (const r of res.results) out.set(String(r._from.id), [...new Set(r.to.map((t) => String(t.toObjectId)))]);
      }
      return out;
    },

    async owners() {
      const all: OwnerRecord[] = [];
      for (const archived of [false, true]) {
        let after: string | undefined;
        do {
          const res = await gateway.call('standard', `list ${archived ? 'archived ' : ''}owners`, (c) =>
            c.crm.owners.ownersApi.getPage(undefined, after, 500, archived),
          );
          for (const o of res.results) {
            all.push({ id: String(o.id), email: o.email ?? null, firstName: o.firstName ?? null, lastName: o.lastName ?? null, archived });
          }
          after = res.paging?.next?.after;
        } while (after);
      }
      return all;
    },

    async dealPipelines(): Promise<PipelineRecord[]> {
      const res = await gateway.call('standard', 'list deal pipelines', (c) => c.crm.pipelines.pipelinesApi.getAll('deals'));
      return res.results
        .filter((p) => !p.archived)
        .map((p) => ({
          id: p.id,
          label: p.label,
          position: p.displayOrder,
          stages: p.stages
            .filter((s) => !s.archived)
            .map((s) => {
              const isClosed = s.metadata?.isClosed === 'true';
              const probability = s.metadata?.probability === undefined ? Number.NaN : Number(s.metadata.probability);
              return {
                id: s.id,
                label: s.label,
                position: s.displayOrder,
                isClosed,
                isWon: !isClosed || Number.isNaN(probability) ? null : probability >= 1,
              };
            }),
        }));
    },

    async phoneProperties() {
      const res = await gateway.call('standard', 'list contact properties', (c) => c.crm.properties.coreApi.getAll('contacts', false));
      return res.results.filter(isMirroredPhoneProperty).map((p) => p.name);
    },
  };
  return source;
}
