// The HubSpot adapter of the CRM port (src/crm/port.ts). Every request goes through the
// shared gateway (rate limits, 429 and Retry-After, 5xx retries). Records are created
// with inline associations; batches use the batch endpoints, and their results are
// matched back to the inputs by ringpath_call_id and ringpath_write_key, which every
// record ringpath creates carries (HubSpot does not promise result order).
import type { Client } from '@hubspot/api-client';
import {
  AssociationSpecAssociationCategoryEnum as Category,
  FilterOperatorEnum,
  type SimplePublicObject,
  type SimplePublicObjectInputForCreate,
} from '@hubspot/api-client/lib/codegen/crm/objects/index.js';
import { PropertyCreateFieldTypeEnum, PropertyCreateTypeEnum } from '@hubspot/api-client/lib/codegen/crm/properties/index.js';
import type { BatchItem, CrmObjectType, CrmPort, LinkedRecords, NewCall, NewContact, NewDeal, NewTask, RecordUpdate } from '../port.ts';
import { CrmProtocolError, isCrmFailure, isPermanentFailure } from '../port.ts';
import { DEFAULT_PROPERTIES, type CallDisposition, type WriteKey } from '../types.ts';
import { HubSpotError, type HubSpotGateway } from './client.ts';
import { missingPropertiesOf, propertyGuard, withoutMissing, type PropertyGuard } from './property-guard.ts';

type ApiType = 'contacts' | 'deals' | 'calls' | 'tasks';
const API_TYPE: Readonly<Record<CrmObjectType, ApiType>> = { contact: 'contacts', deal: 'deals', call: 'calls', task: 'tasks' };

/**
 * HubSpot's documented identity of a call logged by an integration: the ringpath call
 * id in hs_call_external_id, under ringpath's account in hs_call_external_account_id.
 * The engagement is found again by these, with no custom property involved.
 */
export const EXTERNAL_ACCOUNT_ID = 'ringpath';
/** A call logged by an integration, as HubSpot's recordings contract asks. */
export const CALL_SOURCE = 'INTEGRATIONS_PLATFORM';

/** The property that tells apart the several records one call creates (its tasks). */
export const WRITE_KEY_PROPERTY = 'ringpath_write_key';
const CALL_ID = DEFAULT_PROPERTIES.callId;

/** The custom properties ringpath writes, by object type, with their labels. */
export const RINGPATH_PROPERTIES: Readonly<Record<ApiType, ReadonlyArray<readonly [name: string, label: string]>>> = (() => {
  const ids: Array<readonly [string, string]> = [[CALL_ID, 'ringpath call id']];
  const attribution = Object.entries(DEFAULT_PROPERTIES.attribution).map(([field, name]) => [name, `ringpath ${field}`] as const);
  const engagement = [...ids, [WRITE_KEY_PROPERTY, 'ringpath write key'] as const];
  return { contacts: [...ids, ...attribution], deals: [...ids, ...attribution], calls: engagement, tasks: engagement };
})();
const GROUP: Readonly<Record<ApiType, string>> = {
  contacts: 'contactinformation',
  deals: 'dealinformation',
  calls: 'callinformation',
  tasks: 'taskinformation',
};

/** HubSpot's built-in call outcomes (hs_call_disposition); a failed call has none, and a blocked one is never written. */
export const CALL_OUTCOMES: Readonly<Record<CallDisposition, string | undefined>> = {
  answered: 'f240bbac-87c9-4f6e-bf70-924b57d47db7', // Connected
  missed: '73a0d17f-1163-4015-bdd5-ec830791da20', // No answer
  abandoned: '73a0d17f-1163-4015-bdd5-ec830791da20',
  busy: '9d9162e7-6cf3-4944-bf63-4dff82258764', // Busy
  failed: undefined,
  blocked: undefined,
};

/** HubSpot's unlabeled association types, from the record being created. */
const ASSOCIATION = {
  dealToContact: 3,
  callToContact: 194,
  callToDeal: 206,
  taskToContact: 204,
  taskToDeal: 216,
} as const;

/** The CRM's default deal pipeline; a deal without a stage gets its first open one. */
export const DEFAULT_PIPELINE = 'default';

/** Text as HubSpot's rich-text fields show it: HTML-escaped, one <br> per newline. */
export function htmlBody(text: string): string {
  const escaped = text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
  return escaped.replace(/\r?\n/g, '<br>');
}

type Props = Record<string, string>;
const owner = (ownerId: string | null | undefined): Props => (ownerId ? { hubspot_owner_id: ownerId } : {});
const ids = (callId: string, key: WriteKey): Props => ({ [CALL_ID]: callId, [WRITE_KEY_PROPERTY]: key });

export function contactProperties(c: NewContact): Props {
  return { ...c.properties, [DEFAULT_PROPERTIES.phone]: c.phoneE164, ...owner(c.ownerId), [CALL_ID]: c.callId };
}

export function dealProperties(d: NewDeal, defaultStage: (pipelineId: string) => string | undefined): Props {
  const pipeline = d.pipelineId ?? DEFAULT_PIPELINE;
  const stage = d.stageId ?? defaultStage(pipeline);
  return { ...d.properties, pipeline, ...(stage ? { dealstage: stage } : {}), ...owner(d.ownerId), [CALL_ID]: d.callId };
}

export function callProperties(c: NewCall): Props {
  const outcome = CALL_OUTCOMES[c.disposition];
  return {
    hs_timestamp: c.timestamp.toISOString(),
    hs_call_title: c.title,
    hs_call_body: htmlBody(c.body),
    hs_call_direction: c.direction === 'inbound' ? 'INBOUND' : 'OUTBOUND',
    hs_call_status: c.status,
    ...(outcome ? { hs_call_disposition: outcome } : {}),
    hs_call_duration: String(Math.max(0, Math.round(c.durationMs))),
    ...(c.fromE164 ? { hs_call_from_number: c.fromE164 } : {}),
    ...(c.toE164 ? { hs_call_to_number: c.toE164 } : {}),
    ...(c.recordingUrl ? { hs_call_recording_url: c.recordingUrl } : {}),
    hs_call_external_id: c.callId,
    hs_call_external_account_id: EXTERNAL_ACCOUNT_ID,
    hs_call_source: CALL_SOURCE,
    ...owner(c.ownerId),
    ...ids(c.callId, c.key),
  };
}

export function taskProperties(t: NewTask): Props {
  const urgent = t.key === 'task:callback' || t.key === 'task:check-integration';
  return {
    hs_timestamp: t.dueAt.toISOString(),
    hs_task_subject: t.subject,
    hs_task_body: htmlBody(t.body),
    hs_task_status: t.status,
    hs_task_priority: urgent ? 'HIGH' : 'MEDIUM',
    hs_task_type: t.key === 'task:callback' ? 'CALL' : 'TODO',
    ...owner(t.ownerId),
    ...ids(t.callId, t.key),
  };
}

export function updateProperties(u: RecordUpdate): Props {
  return { ...u.properties, ...(u.ownerId === undefined ? {} : { hubspot_owner_id: u.ownerId ?? '' }) };
}

type Association = NonNullable<SimplePublicObjectInputForCreate['associations']>[number];
const link = (id: string, typeId: number): Association => ({
  to: { id },
  types: [{ associationCategory: Category.HubspotDefined, associationTypeId: typeId }],
});

export function engagementAssociations(kind: 'call' | 'task', linked: LinkedRecords): Association[] {
  const [toContact, toDeal] = kind === 'call' ? [ASSOCIATION.callToContact, ASSOCIATION.callToDeal] : [ASSOCIATION.taskToContact, ASSOCIATION.taskToDeal];
  return [...(linked.contactId ? [link(linked.contactId, toContact)] : []), ...(linked.dealId ? [link(linked.dealId, toDeal)] : [])];
}

/** The identity of a record ringpath created, as found in its properties (a call engagement: its external id). */
const identity = (p: Readonly<Record<string, string | null | undefined>>): string =>
  p.hs_call_external_id ? `call:${p.hs_call_external_id}` : `${p[CALL_ID] ?? ''}|${p[WRITE_KEY_PROPERTY] ?? ''}`;

class BatchItemError extends Error {
  readonly retryable = false;
  constructor(
    message: string,
    readonly status: number | undefined,
    readonly category: string | undefined,
  ) {
    super(message);
    this.name = 'BatchItemError';
  }
}

export function createHubSpotWriter(gateway: HubSpotGateway, opts: { guard?: PropertyGuard } = {}): CrmPort {
  const stages = new Map<string, string | undefined>();
  const guard = opts.guard ?? propertyGuard();
  let schema: Promise<void> | undefined;

  /**
   * ringpath's custom properties of one type: created when missing. A refusal (no
   * schema scope, a portal that does not allow them) is not fatal: the sync goes on
   * without them, and the reason is in the CRM status.
   */
  async function ensureType(type: ApiType): Promise<void> {
    const wanted = RINGPATH_PROPERTIES[type].map(([name]) => name);
    let have: Set<string>;
    try {
      const existing = await gateway.call('standard', `list ${type} properties`, (c) => c.crm.properties.coreApi.getAll(type));
      have = new Set(existing.results.map((p) => p.name));
    } catch (err) {
      if (!isPermanentFailure(err)) throw err;
      return guard.report(type, wanted, `ringpath cannot read HubSpot's ${type} properties (${err.message}); give the app the crm.schemas.${type}.read scope`);
    }
    await guard.present(type, wanted.filter((n) => have.has(n)));
    for (const [name, label] of RINGPATH_PROPERTIES[type]) {
      if (have.has(name)) continue;
      const input = { name, label, groupName: GROUP[type], type: PropertyCreateTypeEnum.String, fieldType: PropertyCreateFieldTypeEnum.Text };
      try {
        await gateway.call('standard', `create ${type} property ${name}`, (c) => c.crm.properties.coreApi.create(type, input));
        await guard.present(type, [name]);
      } catch (err) {
        if (isCrmFailure(err) && err.status === 409) continue; // another process made it first
        if (!isPermanentFailure(err)) throw err;
        await guard.report(type, [name], `HubSpot refused to create it (${err.message}); give the app the crm.schemas.${type}.write scope, or create it by hand`);
      }
    }
  }

  /** Sends a write; when HubSpot says some of its properties do not exist, reports them and sends it again without them. */
  async function guarded<T>(type: ApiType, send: (strip: (p: Record<string, string>) => Record<string, string>) => Promise<T>): Promise<T> {
    for (let tries = 0; ; tries++) {
      try {
        return await send((p) => withoutMissing(p, guard.missing(type)));
      } catch (err) {
        const names = err instanceof HubSpotError ? missingPropertiesOf(err.status, err.body) : [];
        if (names.length === 0 || tries >= 3) throw err;
        // A request sent before another one taught the guard is sent again too.
        const fresh = names.filter((n) => !guard.missing(type).has(n));
        if (fresh.length > 0) await guard.report(type, fresh, `HubSpot answered that it has no such property (${err instanceof Error ? err.message : String(err)})`);
      }
    }
  }

  async function loadStages(pipelineId: string): Promise<void> {
    const res = await gateway.call('standard', `list stages of pipeline ${pipelineId}`, (c) => c.crm.pipelines.pipelineStagesApi.getAll('deals', pipelineId));
    const open = res.results.filter((s) => !s.archived && s.metadata?.isClosed !== 'true').sort((a, b) => a.displayOrder - b.displayOrder);
    stages.set(pipelineId, open[0]?.id);
  }

  async function ensureSchema(): Promise<void> {
    schema ??= (async () => {
      for (const type of Object.keys(RINGPATH_PROPERTIES) as ApiType[]) await ensureType(type);
      await loadStages(DEFAULT_PIPELINE);
    })().catch((err: unknown) => {
      schema = undefined;
      throw err;
    });
    return schema;
  }

  /** Creates records; one input uses the single endpoint, more the batch endpoint. */
  async function create(type: ApiType, inputs: SimplePublicObjectInputForCreate[]): Promise<BatchItem[]> {
    const [first] = inputs;
    if (first === undefined) return [];
    if (inputs.length === 1) {
      const one = await guarded(type, (strip) =>
        gateway.call('standard', `create ${type}`, (c: Client) => c.crm.objects.basicApi.create(type, { ...first, properties: strip(first.properties) })),
      );
      return [{ id: one.id }];
    }
    const res = await guarded(type, (strip) =>
      gateway.call('standard', `batch create ${inputs.length} ${type}`, (c: Client) =>
        c.crm.objects.batchApi.create(type, { inputs: inputs.map((i) => ({ ...i, properties: strip(i.properties) })) }),
      ),
    );
    return matchResults(inputs.map((i) => identity(i.properties)), res.results, (r) => identity(r.properties), 'errors' in res ? res.errors : undefined);
  }

  async function update(type: ApiType, inputs: readonly RecordUpdate[]): Promise<BatchItem[]> {
    const [first] = inputs;
    if (first === undefined) return [];
    if (inputs.length === 1) {
      await guarded(type, (strip) =>
        gateway.call('standard', `update ${type}`, (c: Client) => c.crm.objects.basicApi.update(type, first.id, { properties: strip(updateProperties(first)) })),
      );
      return [{ id: first.id }];
    }
    const res = await guarded(type, (strip) => {
      const body = { inputs: inputs.map((u) => ({ id: u.id, properties: strip(updateProperties(u)) })) };
      return gateway.call('standard', `batch update ${inputs.length} ${type}`, (c: Client) => c.crm.objects.batchApi.update(type, body));
    });
    return matchResults(inputs.map((u) => u.id), res.results, (r) => r.id, 'errors' in res ? res.errors : undefined);
  }

  const single = async (items: Promise<BatchItem[]>): Promise<string> => {
    const [item] = await items;
    if (item === undefined) throw new CrmProtocolError('HubSpot answered without the record');
    if ('error' in item) throw item.error;
    return item.id;
  };

  const port: CrmPort = {
    ensureSchema,
    createContacts: (inputs) => create('contacts', inputs.map((c) => ({ properties: contactProperties(c), associations: [] }))),
    async createDeals(inputs) {
      for (const d of inputs) if (d.stageId === null && !stages.has(d.pipelineId ?? DEFAULT_PIPELINE)) await loadStages(d.pipelineId ?? DEFAULT_PIPELINE);
      const defaultStage = (pipelineId: string) => stages.get(pipelineId);
      return create('deals', inputs.map((d) => ({
        properties: dealProperties(d, defaultStage),
        associations: d.contactId ? [link(d.contactId, ASSOCIATION.dealToContact)] : [],
      })));
    },
    createCalls: (inputs) => create('calls', inputs.map((c) => ({ properties: callProperties(c), associations: engagementAssociations('call', c.associations) }))),
    createTasks: (inputs) => create('tasks', inputs.map((t) => ({ properties: taskProperties(t), associations: engagementAssociations('task', t.associations) }))),
    updateContacts: (inputs) => update('contacts', inputs),
    updateDeals: (inputs) => update('deals', inputs),
    createContact: (input) => single(port.createContacts([input])),
    createDeal: (input) => single(port.createDeals([input])),
    createCall: (input) => single(port.createCalls([input])),
    createTask: (input) => single(port.createTasks([input])),
    updateContact: async (input) => void (await single(port.updateContacts([input]))),
    updateDeal: async (input) => void (await single(port.updateDeals([input]))),

    async findCreated(type, callId, key) {
      const apiType = API_TYPE[type];
      // Without its ringpath_call_id property a contact, deal or task cannot be looked up: treated as not written.
      if (type !== 'call' && guard.missing(apiType).has(CALL_ID)) return undefined;
      if (type === 'task' && guard.missing(apiType).has(WRITE_KEY_PROPERTY)) return undefined;
      const eq = (propertyName: string, value: string) => ({ propertyName, operator: FilterOperatorEnum.Eq, value });
      const filters =
        type === 'call'
          ? [eq('hs_call_external_id', callId), eq('hs_call_external_account_id', EXTERNAL_ACCOUNT_ID)]
          : type === 'task'
            ? [eq(CALL_ID, callId), eq(WRITE_KEY_PROPERTY, key)]
            : [eq(CALL_ID, callId)];
      const request = { filterGroups: [{ filters }], properties: ['hs_object_id'], limit: 1 };
      const res = await gateway.call('search', `find the ${type} of call ${callId}`, (c: Client) => c.crm.objects.searchApi.doSearch(apiType, request));
      return res.results[0]?.id;
    },
  };
  return port;
}

/** One item per input, in input order, from a batch answer in any order. */
function matchResults(
  keys: readonly string[],
  results: readonly SimplePublicObject[],
  keyOf: (r: SimplePublicObject) => string,
  errors: ReadonlyArray<{ message: string; category: string; status: string }> | undefined,
): BatchItem[] {
  const byKey = new Map(results.map((r) => [keyOf(r), r.id]));
  const problem = errors?.[0];
  return keys.map((key) => {
    const id = byKey.get(key);
    if (id !== undefined) return { id };
    if (problem) return { error: new BatchItemError(problem.message, Number(problem.status) || undefined, problem.category) };
    return { error: new CrmProtocolError(`HubSpot's batch answer has no record for ${key}`) };
  });
}
