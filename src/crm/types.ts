// Domain types of the CRM port as the post-call matrix sees them (SPEC §6): the facts
// of one call, what the local CRM mirror knows about the client's number, the CRM
// settings, and the writes the matrix asks the executor to make. Plain data only, so
// a plan can be logged, stored with the job and replayed. Nothing here is HubSpot
// specific except the default property names, which the HubSpot adapter creates.

export type Language = 'en' | 'es' | 'ru' | 'uk';
export type CallDirection = 'inbound' | 'outbound' | 'internal';
/** blocked: an outbound call the dial plan refused; the matrix writes nothing for it. */
export type CallDisposition = 'answered' | 'missed' | 'busy' | 'failed' | 'abandoned' | 'blocked';
/** exact, recent (lower confidence), static, fallback (a site's fallback number), none: see src/dni/attribution.ts. */
export type { AttributionConfidence } from '../dni/types.ts';
import type { AttributionConfidence } from '../dni/types.ts';

/** Who answered (inbound) or placed (outbound) the call, matched on every employee's destinations. */
export type CallParty =
  | {
      readonly kind: 'employee';
      readonly employeeId: number;
      /** The CRM owner the employee is mapped to; null when the mapping is missing. */
      readonly ownerId: string | null;
      readonly name: string;
    }
  /** A destination no employee owns ("unknown employee"). */
  | { readonly kind: 'unknown'; readonly destination: string };

export interface CallAttribution {
  // utm_source, utm_medium, utm_campaign, utm_content, utm_term
  readonly source?: string;
  readonly medium?: string;
  readonly campaign?: string;
  readonly content?: string;
  readonly term?: string;
  readonly gclid?: string;
  readonly gbraid?: string;
  readonly wbraid?: string;
  readonly fbclid?: string;
  readonly msclkid?: string;
  /** From the _ga cookie. */
  readonly gaClientId?: string;
  readonly landingPage?: string;
  readonly referrer?: string;
  /**
   * exact: the visitor session held the number; recent: it let it go within the hold time (a best guess);
   * static: a static number's fixed source; fallback: a site's fallback number (unattributed); none: unattributed.
   */
  readonly confidence: AttributionConfidence;
  /** What a person reads: "google / cpc", "Billboard A1", "unattributed (pool exhausted)". */
  readonly label: string;
}

/** One step of the routing trace; only rendered into the engagement body. */
export interface RoutingTraceStep {
  readonly stepType: string;
  readonly result: string;
  readonly reason?: string;
  readonly ringMs?: number;
}

/**
 * The CDR. In the `call_start` phase only id, direction, the numbers, tracking number,
 * site, startedAt, placedBy and attribution are read; the rest may be provisional.
 */
export interface CallFacts {
  readonly id: string;
  readonly direction: CallDirection;
  readonly disposition: CallDisposition;
  /** E.164; null when the caller withheld the number. */
  readonly callerE164: string | null;
  readonly calleeE164: string | null;
  readonly trackingNumber?: string;
  readonly trackingNumberId?: number;
  readonly siteId?: number;
  readonly startedAt: Date;
  readonly answeredAt?: Date;
  readonly endedAt: Date;
  readonly talkMs: number;
  readonly ringMs: number;
  /** Inbound: who answered; null when nobody did. */
  readonly answeredBy: CallParty | null;
  /** Outbound: who placed the call. */
  readonly placedBy: CallParty | null;
  /**
   * The CRM owner of the manager routing rang first as the client's responsible
   * manager (the call record's responsible_employee_id); undefined when routing
   * picked nobody. It decides who "the responsible manager" is for this call.
   */
  readonly routingResponsibleOwnerId?: string;
  readonly attribution: CallAttribution;
  readonly routingTrace: readonly RoutingTraceStep[];
  /** A signed HTTPS link to a .wav or .mp3 file. */
  readonly recordingUrl?: string;
}

export interface MirrorContact {
  readonly id: string;
  readonly ownerId: string | null;
  /** Set when ringpath created the record for this call id (createWhen = call_start). */
  readonly createdByCallId?: string;
}

export interface MirrorDeal {
  readonly id: string;
  readonly ownerId: string | null;
  readonly pipelineId: string | null;
  readonly stageId: string | null;
  readonly createdByCallId?: string;
}

export interface CrmOwner {
  readonly name: string;
  readonly archived: boolean;
}

/** What the mirror holds for the client's number, lookup order already applied. */
export interface MirrorFacts {
  readonly contact?: MirrorContact;
  /** Open deals (stage neither won nor lost), the preferred one first. */
  readonly openDeals: readonly MirrorDeal[];
  /** The responsible manager per the configured lookup order. */
  readonly responsibleOwnerId?: string;
  /** Known CRM owners by id; when given, owners are checked against it and named from it. */
  readonly owners?: Readonly<Record<string, CrmOwner>>;
}

/** Visit and call fields that can be copied into CRM properties (same names as the settings API). */
export const RINGPATH_FIELDS = ['utm_source', 'utm_medium', 'utm_campaign', 'utm_content', 'utm_term', 'ga_client_id', 'gclid',
  'fbclid', 'landing_page', 'referrer', 'source_name', 'tracking_number', 'gbraid', 'wbraid', 'msclkid', 'attribution_confidence'] as const;
export type RingpathField = (typeof RINGPATH_FIELDS)[number];

/** Additional fields: ringpath field → CRM property internal name. */
export type FieldMapping = Readonly<Partial<Record<RingpathField, string>>>;

/** Properties ringpath always writes on the records it creates (the adapter ensures they exist). */
export const DEFAULT_PROPERTIES = {
  phone: 'phone',
  dealName: 'dealname',
  callId: 'ringpath_call_id',
  attribution: {
    utm_source: 'ringpath_utm_source',
    utm_medium: 'ringpath_utm_medium',
    utm_campaign: 'ringpath_utm_campaign',
    utm_content: 'ringpath_utm_content',
    utm_term: 'ringpath_utm_term',
    ga_client_id: 'ringpath_ga_client_id',
    source_name: 'ringpath_source',
    attribution_confidence: 'ringpath_attribution_confidence',
  },
} as const satisfies { phone: string; dealName: string; callId: string; attribution: Partial<Record<RingpathField, string>> };

export type PipelineRuleMatch =
  | { readonly trackingNumberId: number }
  /** E.164, as the settings API stores it. */
  | { readonly trackingNumber: string }
  | { readonly siteId: number }
  /** Compared case-insensitively. */
  | { readonly utmSource: string };

export interface PipelineRule {
  readonly match: PipelineRuleMatch;
  readonly pipelineId: string;
  readonly stageId: string;
}

/** Keys of the texts written to the CRM; each may be overridden by a template. */
export type TemplateKey =
  | 'dealName'
  | `callTitle${'Inbound' | 'Outbound'}`
  | 'callBody'
  /** Lines put before the call body when they apply. */
  | `note${'Missed' | 'Colleague' | 'UnknownEmployee' | 'LowConfidence'}`
  /** Callback: missed call; Answered: completed task; Colleague: answered for the responsible manager;
   *  CheckIntegration: an unknown employee; NotMapped: an employee without a CRM owner. */
  | `task${'Callback' | 'Answered' | 'Colleague' | 'CheckIntegration' | 'NotMapped'}${'Subject' | 'Body'}`;

export interface CrmSettings {
  readonly createEntities: 'contact' | 'contact_and_deal';
  readonly createWhen: 'call_start' | 'after_call';
  /** Create nothing; only write UTMs onto the open deal another integration created. */
  readonly utmOnly: boolean;
  readonly language: Language;
  /** Precedence by kind: tracking number > site > utm_source; within a kind the first rule wins. */
  readonly pipelineRules: readonly PipelineRule[];
  /** null: the CRM's default pipeline. */
  readonly defaultPipelineId: string | null;
  readonly defaultStageId: string | null;
  readonly fieldMapping: FieldMapping;
  /** Contact (+ deal) for an outbound call to a number the CRM does not know: after the call when it was
   *  answered, or at its start (createWhen = call_start), before the answer is known. */
  readonly createForUnknownOutbound: boolean;
  /** A completed task with the recording for every answered call (004_*, item 6). */
  readonly completedTaskForEveryAnsweredCall: boolean;
  readonly missedTaskDueMinutes: number;
  readonly seniorManagerOwnerId: string | null;
  /** IANA zone for {called_at}; UTC when absent or unknown. */
  readonly timeZone?: string;
  /** Admin templates replacing the built-in texts of the chosen language. */
  readonly textOverrides?: Readonly<Partial<Record<TemplateKey, string>>>;
  readonly now: Date;
}

export type MatrixPhase = 'call_start' | 'after_call';

export interface MatrixInput {
  readonly call: CallFacts;
  readonly mirror: MirrorFacts;
  readonly settings: CrmSettings;
  readonly phase: MatrixPhase;
}

// ---- the plan ----------------------------------------------------------------------

/** Stable per call: the executor's ledger is keyed by (call id, write key). */
export type WriteKey =
  | 'contact'
  | 'deal'
  | 'contact:owner'
  | 'deal:owner'
  | 'deal:utm'
  | 'call'
  | 'task:callback'
  | 'task:answered'
  | 'task:check-integration';

/** An existing CRM record, or the record an earlier write of this call's plans creates. */
export type EntityRef = { readonly id: string } | { readonly ref: 'contact' | 'deal' };

export interface Associations {
  readonly contact: EntityRef | null;
  readonly deal: EntityRef | null;
}

export type CrmProperties = Readonly<Record<string, string>>;

interface WriteBase {
  readonly key: WriteKey;
  /** The ringpath call id, carried by every write. */
  readonly callId: string;
}

export interface UpsertContact extends WriteBase {
  readonly kind: 'upsertContact';
  readonly phoneE164: string;
  readonly properties: CrmProperties;
  readonly ownerId: string | null;
}

export interface CreateDeal extends WriteBase {
  readonly kind: 'createDeal';
  readonly properties: CrmProperties;
  readonly ownerId: string | null;
  /** null: the CRM's default pipeline and its first stage. */
  readonly pipelineId: string | null;
  readonly stageId: string | null;
  readonly associateWith: EntityRef | null;
}

/** Owner reassignment of a contact ringpath created when the call started. */
export interface UpdateContact extends WriteBase {
  readonly kind: 'updateContact';
  readonly contact: EntityRef;
  readonly properties: CrmProperties;
  readonly ownerId?: string | null;
}

/** UTM-only mode (UTMs onto another integration's deal), or an owner reassignment. */
export interface UpdateDeal extends WriteBase {
  readonly kind: 'updateDeal';
  readonly deal: EntityRef;
  readonly properties: CrmProperties;
  readonly ownerId?: string | null;
}

/** CRM-neutral call status; the HubSpot adapter maps it to hs_call_status. */
export type CallStatus = 'COMPLETED' | 'NO_ANSWER' | 'BUSY' | 'FAILED' | 'CANCELED';

export interface CreateCall extends WriteBase {
  readonly kind: 'createCall';
  readonly direction: 'inbound' | 'outbound';
  readonly status: CallStatus;
  readonly disposition: CallDisposition;
  readonly durationMs: number;
  readonly fromE164: string | null;
  readonly toE164: string | null;
  readonly ownerId: string | null;
  readonly timestamp: Date;
  readonly title: string;
  readonly body: string;
  readonly recordingUrl: string | null;
  readonly associations: Associations;
}

export type TaskStatus = 'NOT_STARTED' | 'COMPLETED';

export interface CreateTask extends WriteBase {
  readonly kind: 'createTask';
  readonly subject: string;
  readonly body: string;
  readonly ownerId: string | null;
  readonly dueAt: Date;
  readonly status: TaskStatus;
  readonly associations: Associations;
}

export type CrmWrite = UpsertContact | CreateDeal | UpdateContact | UpdateDeal | CreateCall | CreateTask;

export type WarningCode =
  // owners: tasks and records fall back to the senior manager, or stay unassigned
  | 'NO_SENIOR_MANAGER'
  | 'RESPONSIBLE_OWNER_UNKNOWN'
  | 'OWNER_NOT_IN_MIRROR'
  // who answered or placed the call (the last two also create the "check the integration" task)
  | 'ANSWERER_MISSING'
  | 'UNKNOWN_EMPLOYEE'
  | 'EMPLOYEE_NOT_MAPPED'
  // the call's data
  | 'NO_RECORDING'
  | 'RECORDING_URL_INVALID'
  | 'UNATTRIBUTED'
  | 'CLIENT_NUMBER_UNKNOWN'
  // nothing written by choice
  | 'UTM_ONLY_NO_DEAL'
  | 'OUTBOUND_UNKNOWN_CLIENT'
  | 'TEMPLATE_UNKNOWN_FIELD';

export interface MatrixWarning {
  readonly code: WarningCode;
  readonly message: string;
}

/** The row of the SPEC §6 table (or the mode) that decided the plan. */
export type MatrixRow =
  | `inbound_answered_${'new' | 'responsible' | 'colleague'}`
  | `inbound_missed_${'new' | 'existing'}`
  | `outbound_${'existing' | 'new' | 'unknown_skipped'}`
  /** The call_start phase: only the records to create when the call starts. */
  | 'call_start'
  | 'internal'
  /** An outbound call the dial plan refused: nothing is written. */
  | 'blocked'
  /** The client's number is withheld. */
  | 'anonymous'
  | 'utm_only';

export interface MatrixResult {
  readonly row: MatrixRow;
  /** In order: contact, deal, updates, call engagement, tasks; refs point backwards only. */
  readonly writes: readonly CrmWrite[];
  readonly warnings: readonly MatrixWarning[];
}
