// A world for CRM sync tests: a database of the test's own, the HubSpot emulator,
// employees mapped to HubSpot owners (one the senior manager), the mirror, and a
// way to store CDRs with recordCall() exactly as call handling does, then run the
// real worker against the emulator through the real gateway.
import { randomUUID } from 'node:crypto';
import type { Test } from 'tap';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { createApiKey } from '../../../src/auth/api-keys.ts';
import { loadConfig, type Config } from '../../../src/config.ts';
import { createHubSpotGateway, type HubSpotGateway } from '../../../src/crm/hubspot/client.ts';
import { replaceOwners } from '../../../src/crm/mirror/catalog.ts';
import { writeContacts, writeDeals } from '../../../src/crm/mirror/store.ts';
import { createPool, type Pool } from '../../../src/db/pool.ts';
import { recordCall, type CallRecord } from '../../../src/db/repositories/calls.ts';
import { settingsRepository, type Settings } from '../../../src/db/repositories/settings.ts';
import { buildApp } from '../../../src/http/app.ts';
import { startCrmWorker, type CrmWorker, type CrmWorkerDeps } from '../../../src/jobs/crm-worker.ts';
import type { AttemptResult, Destination, Disposition, RoutingTrace } from '../../../src/routing/types.ts';
import { buildCallRecord, noAttribution, type PartyNumber } from '../../../src/calls/record.ts';
import { Recogniser } from '../../../src/calls/recognise.ts';
import { silentLogger, testDatabase, type TestDatabase } from '../db.ts';
import type { EmulatorOptions, HubSpotEmulator } from '../hubspot-emulator/index.ts';
import { hubspotForTest } from '../hubspot-emulator/testing.ts';

export const TRACKING = '+380441234500';
export const recordingLink = ({ id }: { id: string }) => `https://rec.example.com/${id}.mp3`;

export interface Person {
  readonly employeeId: number;
  readonly ownerId: string;
  readonly name: string;
}

export interface CallSpec {
  readonly direction?: 'inbound' | 'outbound';
  /** The client's number; null: withheld. */
  readonly client: string | null;
  readonly disposition?: Disposition;
  /** Inbound: who answered (a person, or a destination no employee owns). */
  readonly answeredBy?: Person | { readonly destination: string };
  /** Outbound: who placed it. */
  readonly placedBy?: Person;
  readonly recording?: boolean;
  readonly id?: string;
}

export interface CrmWorld {
  readonly db: TestDatabase;
  /** The pool the worker and the assertions use. */
  readonly pool: Pool;
  readonly emulator: HubSpotEmulator;
  readonly config: Config;
  readonly ana: Person;
  readonly boris: Person;
  readonly senior: Person;
  gateway(): HubSpotGateway;
  startWorker(options?: CrmWorkerDeps['options']): Promise<CrmWorker>;
  record(spec: CallSpec): Promise<string>;
  /** A client HubSpot and the mirror already know, owned by `owner`, with an open deal unless `deal: false`. */
  existingClient(phone: string, owner: Person, opts?: { deal?: boolean }): Promise<{ contactId: string; dealId: string | null }>;
  settings(values: Partial<Settings>): Promise<void>;
  /** Waits until none of the calls is pending; answers their states. */
  settled(ids: readonly string[], timeoutMs?: number): Promise<Record<string, string>>;
  /** Requests to HubSpot's objects and associations APIs (not the one-off property and pipeline reads). */
  objectRequests(): number;
  api(): Promise<{ app: FastifyInstance; get(url: string): Promise<LightMyRequestResponse>; post(url: string, body?: unknown): Promise<LightMyRequestResponse>; patch(url: string, body: unknown): Promise<LightMyRequestResponse> }>;
}

export async function crmWorld(t: Test, opts: { env?: Record<string, string>; emulator?: Partial<EmulatorOptions> } = {}): Promise<CrmWorld> {
  const db = await testDatabase(t);
  const pool = createPool(db.url, 16, silentLogger);
  t.teardown(() => pool.end());
  const { emulator } = await hubspotForTest(t, opts.emulator ?? {});
  const config = loadConfig({
    HUBSPOT_TOKEN: emulator.token,
    HUBSPOT_BASE_URL: emulator.url,
    LOG_LEVEL: 'silent',
    DEFAULT_COUNTRY: 'UA',
    ...opts.env,
  });
  const person = async (first: string, senior = false): Promise<Person> => {
    const owner = emulator.control.addOwner({ email: `${first.toLowerCase()}@example.com`, firstName: first, lastName: 'Test' });
    const { rows } = await pool.query<{ id: number }>(
      `INSERT INTO employees (email, full_name, hubspot_owner_id, is_senior_manager) VALUES ($1, $2, $3, $4) RETURNING id`,
      [owner.email, `${first} Test`, owner.id, senior],
    );
    return { employeeId: rows[0]!.id, ownerId: owner.id, name: `${first} Test` };
  };
  const ana = await person('Ana');
  const boris = await person('Boris');
  const senior = await person('Sam', true);
  await replaceOwners(pool, emulator.control.owners().map((o) => ({ id: o.id, email: o.email ?? null, firstName: o.firstName ?? null, lastName: o.lastName ?? null, archived: false })));

  let gateway: HubSpotGateway | undefined;
  const world: CrmWorld = {
    db,
    pool,
    emulator,
    config,
    ana,
    boris,
    senior,
    gateway: () => (gateway ??= createHubSpotGateway(config.crm, pool, silentLogger)),
    async startWorker(options) {
      const worker = await startCrmWorker({
        config,
        pool,
        logger: silentLogger,
        gateway: world.gateway(),
        recordingLink,
        options: { pollIntervalMs: 200, settleMs: 300, maxSearchLagMs: 1_000, livenessIntervalMs: 1_000, ...options },
      });
      t.teardown(() => worker.stop());
      return worker;
    },
    async record(spec) {
      const id = spec.id ?? randomUUID();
      await recordCall(pool, cdr(id, spec), { crmSync: true });
      return id;
    },
    async existingClient(phone, owner, o = {}) {
      const contact = emulator.control.seed('contacts', { phone, firstname: 'Known', hubspot_owner_id: owner.ownerId });
      const deal =
        o.deal === false
          ? undefined
          : emulator.control.seed('deals', { dealname: 'Known deal', pipeline: 'default', dealstage: 'qualifiedtobuy', hubspot_owner_id: owner.ownerId }, {
              associations: [{ toType: 'contacts', toId: contact.id }],
            });
      await mirror(pool, contact.id, phone, owner.ownerId, deal?.id);
      return { contactId: contact.id, dealId: deal?.id ?? null };
    },
    settings: (values) => settingsRepository.save(pool, values),
    async settled(ids, timeoutMs = 60_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const { rows } = await pool.query<{ id: string; crm_sync_state: string }>('SELECT id, crm_sync_state FROM calls WHERE id = ANY($1::uuid[])', [ids]);
        if (rows.length === ids.length && rows.every((r) => r.crm_sync_state !== 'pending')) return Object.fromEntries(rows.map((r) => [r.id, r.crm_sync_state]));
        if (Date.now() > deadline) throw new Error(`calls still pending after ${timeoutMs} ms: ${JSON.stringify(rows)}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    },
    objectRequests: () => emulator.control.requests.count((r) => r.path.startsWith('/crm/v3/objects/') || r.path.startsWith('/crm/v4/')),
    async api() {
      const app = await buildApp({ config, pool, logger: silentLogger });
      t.teardown(() => app.close());
      const { key } = await createApiKey(pool, 'crm tests');
      const headers = { authorization: `Bearer ${key}` };
      return {
        app,
        get: (url) => app.inject({ method: 'GET', url, headers }),
        post: (url, body) => app.inject({ method: 'POST', url, headers, ...(body === undefined ? {} : { payload: body as object }) }),
        patch: (url, body) => app.inject({ method: 'PATCH', url, headers, payload: body as object }),
      };
    },
  };
  return world;
}

/** A contact (and its open deal) in the mirror, as the mirror's sync would store them. */
async function mirror(pool: Pool, contactId: string, phone: string, ownerId: string, dealId: string | undefined): Promise<void> {
  const at = new Date();
  await writeContacts(pool, [
    { id: contactId, lastModifiedAt: at, ownerId, firstName: 'Known', lastName: null, email: null, phones: [{ property: 'phone', raw: phone, e164: phone, problem: null }], phoneScope: null },
  ]);
  if (dealId) {
    await writeDeals(pool, [
      { id: dealId, lastModifiedAt: at, name: 'Known deal', ownerId, pipelineId: 'default', stageId: 'qualifiedtobuy', closedInCrm: false, contactIds: [contactId] },
    ]);
  }
}

/** A trace whose disposition is the one asked for (dispositionOf reads it the way call handling does). */
function traceFor(disposition: Disposition, at: number): RoutingTrace {
  const result: AttemptResult | undefined =
    disposition === 'busy' ? 'busy' : disposition === 'failed' ? 'failed' : disposition === 'missed' ? 'no_answer' : undefined;
  if (!result) return [];
  return [{ stepIndex: 0, stepType: 'senior_manager', result, reason: 'test call', employeeIds: [], legs: [], excluded: [], startedAt: at, endedAt: at + 25_000, ringMs: 25_000 }];
}

/** The destination a spec's answer came from: a person's SIP account, or a number or URI nobody owns. */
function answeringDestination(by: Person | { readonly destination: string }): Destination {
  if ('employeeId' in by) return { type: 'sip_account', login: by.name.split(' ')[0]!.toLowerCase() };
  return by.destination.startsWith('+') ? { type: 'phone', number: by.destination } : { type: 'sip_uri', uri: by.destination };
}

/**
 * The CDR call handling would store for the spec, built by the same pure
 * function the SIP side uses (buildCallRecord), so the two cannot disagree.
 */
export function cdr(id: string, spec: CallSpec): CallRecord {
  const direction = spec.direction ?? 'inbound';
  const disposition = spec.disposition ?? 'answered';
  const answered = disposition === 'answered';
  const endedAt = new Date();
  const startedAt = new Date(endedAt.getTime() - (answered ? 95_000 : 25_000));
  const answeredAt = answered ? new Date(startedAt.getTime() + 10_000) : null;
  const inbound = direction === 'inbound';
  const by = answered && inbound ? spec.answeredBy : undefined;
  const client: PartyNumber = spec.client === null ? { kind: 'withheld' } : { kind: 'number', e164: spec.client };
  const tracking: PartyNumber = { kind: 'number', e164: TRACKING };
  return buildCallRecord(
    {
      id,
      sipCallId: `${id}@test`,
      direction,
      caller: inbound ? client : tracking,
      callerRaw: inbound ? (spec.client ?? 'sip:anonymous@anonymous.invalid') : TRACKING,
      callee: inbound ? tracking : client,
      trackingNumber: { id: null, number: TRACKING },
      attribution: inbound
        ? { confidence: 'static', label: 'Google Ads brand', source: 'google', medium: 'cpc', campaign: 'brand' }
        : noAttribution('outbound'),
      placedByEmployeeId: inbound ? null : (spec.placedBy?.employeeId ?? null),
      trace: traceFor(disposition, startedAt.getTime()),
      ...(answeredAt
        ? { answered: { destination: by ? answeringDestination(by) : { type: 'phone', number: spec.client ?? TRACKING }, at: answeredAt, employeeId: by && 'employeeId' in by ? by.employeeId : null } }
        : {}),
      callerHungUp: disposition === 'abandoned',
      startedAt,
      endedAt,
      recordingPath: answered && spec.recording !== false ? `/recordings/${id}.wav` : null,
    },
    NOBODY,
  );
}

/** The test world's employees have no destinations: a person answers by employee id, anything else is unknown. */
const NOBODY = new Recogniser([]);
