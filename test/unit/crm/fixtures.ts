// Shared inputs of the CRM matrix tests: one client, three employees, a senior manager.
import { decideCrmWrites } from '../../../src/crm/matrix.ts';
import type {
  CallFacts,
  CallParty,
  CrmSettings,
  CrmWrite,
  MatrixInput,
  MatrixPhase,
  MatrixResult,
  MirrorFacts,
  WarningCode,
  WriteKey,
} from '../../../src/crm/types.ts';

export const NOW = new Date('2024-05-01T10:05:00Z');
export const CLIENT = '+34911234567';
export const TRACKING = '+34910000001';
export const RECORDING = 'https://calls.example.com/r/7d1c.wav?sig=abc&exp=1714600000';
export const SENIOR = 'o-senior';

export const ANA: CallParty = { kind: 'employee', employeeId: 1, ownerId: 'o-ana', name: 'Ana García' };
export const BORIS: CallParty = { kind: 'employee', employeeId: 2, ownerId: 'o-boris', name: 'Borys Koval' };
export const UNMAPPED: CallParty = { kind: 'employee', employeeId: 3, ownerId: null, name: 'Carla Ruiz' };
export const STRANGER: CallParty = { kind: 'unknown', destination: '+34600111222' };

export function call(over: Partial<CallFacts> = {}): CallFacts {
  return {
    id: '0b7e6d1a-3c2f-4a8e-9f10-2d4c6b8a0e11',
    direction: 'inbound',
    disposition: 'answered',
    callerE164: CLIENT,
    calleeE164: TRACKING,
    trackingNumber: TRACKING,
    trackingNumberId: 11,
    siteId: 5,
    startedAt: new Date('2024-05-01T10:00:00Z'),
    answeredAt: new Date('2024-05-01T10:00:12Z'),
    endedAt: new Date('2024-05-01T10:02:17Z'),
    talkMs: 125_000,
    ringMs: 12_000,
    answeredBy: ANA,
    placedBy: null,
    attribution: {
      source: 'google',
      medium: 'cpc',
      campaign: 'spring_sale',
      term: 'sofa',
      gclid: 'Cj0KCQ',
      gaClientId: '1234567890.1714550000',
      landingPage: 'https://shop.example.com/sofas',
      confidence: 'exact',
      label: 'google / cpc',
    },
    routingTrace: [
      { stepType: 'responsible_manager', result: 'skipped', reason: 'not found in the CRM' },
      { stepType: 'new_client_distribution', result: 'answered', ringMs: 12_000 },
    ],
    recordingUrl: RECORDING,
    ...over,
  };
}

export const outbound = (over: Partial<CallFacts> = {}): CallFacts =>
  call({
    direction: 'outbound',
    callerE164: TRACKING,
    calleeE164: CLIENT,
    answeredBy: null,
    placedBy: ANA,
    attribution: { confidence: 'none', label: 'outbound' },
    routingTrace: [],
    ...over,
  });

export function settings(over: Partial<CrmSettings> = {}): CrmSettings {
  return {
    createEntities: 'contact_and_deal',
    createWhen: 'after_call',
    utmOnly: false,
    language: 'en',
    pipelineRules: [],
    defaultPipelineId: 'p-default',
    defaultStageId: 's-new',
    fieldMapping: {},
    createForUnknownOutbound: false,
    completedTaskForEveryAnsweredCall: false,
    missedTaskDueMinutes: 60,
    seniorManagerOwnerId: SENIOR,
    now: NOW,
    ...over,
  };
}

export const NEW_CLIENT: MirrorFacts = { openDeals: [] };
/** Ana's client: her contact and her open deal. */
export const ANAS_CLIENT: MirrorFacts = {
  contact: { id: 'c-1', ownerId: 'o-ana' },
  openDeals: [{ id: 'd-1', ownerId: 'o-ana', pipelineId: 'p-sales', stageId: 's-talks' }],
  responsibleOwnerId: 'o-ana',
};
/** A returning client: Ana's contact, every deal closed. */
export const RETURNING: MirrorFacts = { contact: { id: 'c-1', ownerId: 'o-ana' }, openDeals: [], responsibleOwnerId: 'o-ana' };

export interface Case {
  readonly call?: CallFacts;
  readonly mirror?: MirrorFacts;
  readonly settings?: Partial<CrmSettings>;
  readonly phase?: MatrixPhase;
}

export function input(c: Case = {}): MatrixInput {
  return { call: c.call ?? call(), mirror: c.mirror ?? NEW_CLIENT, settings: settings(c.settings), phase: c.phase ?? 'after_call' };
}

export const decide = (c: Case = {}): MatrixResult => decideCrmWrites(input(c));
export const keys = (r: MatrixResult): WriteKey[] => r.writes.map((w) => w.key);
export const codes = (r: MatrixResult): WarningCode[] => r.warnings.map((w) => w.code);

/** The write with `key`, checked to be of `kind`. */
export function get<K extends CrmWrite['kind']>(r: MatrixResult, key: WriteKey, kind: K): Extract<CrmWrite, { kind: K }> {
  const w = r.writes.find((x) => x.key === key);
  if (!w || w.kind !== kind) throw new Error(`no ${kind} write ${key} in [${keys(r).join(', ')}]`);
  return w as Extract<CrmWrite, { kind: K }>;
}

export const owners = (r: MatrixResult): Record<string, string | null | undefined> =>
  Object.fromEntries(r.writes.map((w) => [w.key, 'ownerId' in w ? w.ownerId : undefined]));

/** Every text the plan would write to the CRM. */
export function texts(r: MatrixResult): string[] {
  return r.writes.flatMap((w) => {
    if (w.kind === 'createCall') return [w.title, w.body];
    if (w.kind === 'createTask') return [w.subject, w.body];
    if (w.kind === 'createDeal') return Object.values(w.properties);
    return [];
  });
}
