// The post-call CRM matrix (SPEC §6, after 004_*): given one call, what the CRM mirror
// knows about the client's number and the CRM settings, the writes to make. Pure and
// deterministic: no I/O, no clock (settings.now), missing data becomes a warning.
//
// The client is "existing" when the mirror has a contact or an open deal for the
// number. A contact whose deals are all closed gets a new deal (a returning client),
// owned by its responsible manager. Owners that cannot be used fall back to the
// senior manager (004_*, item 7), and records go unassigned when there is none.
import { responsibleOwner } from '../routing/responsible.ts';
import type { LookupTarget, ResponsibleLookup } from '../routing/types.ts';
import { DEFAULT_PROPERTIES, RINGPATH_FIELDS } from './types.ts';
import type { Associations, CallFacts, CallStatus, CrmProperties, CrmSettings, CrmWrite, EntityRef, FieldMapping } from './types.ts';
import type { MatrixInput, MatrixResult, MatrixRow, MatrixWarning, RingpathField, TaskStatus, TemplateKey } from './types.ts';
import type { WarningCode, WriteKey } from './types.ts';
import { mergeValues, render, template, unknownMergeFields, type TextPeople } from './texts.ts';

export interface PipelineChoice {
  readonly pipelineId: string | null;
  readonly stageId: string | null;
  readonly by: 'tracking_number' | 'site' | 'utm_source' | 'default';
}

/** Pipeline and stage of a new deal: tracking number > site > utm_source > default, whatever the rules' order. */
export function choosePipeline(call: CallFacts, settings: CrmSettings): PipelineChoice {
  const source = call.attribution.source?.trim().toLowerCase();
  const tiers: Array<[PipelineChoice['by'], (m: CrmSettings['pipelineRules'][number]['match']) => boolean]> = [
    [
      'tracking_number',
      (m) =>
        ('trackingNumberId' in m && m.trackingNumberId === call.trackingNumberId) ||
        ('trackingNumber' in m && m.trackingNumber === call.trackingNumber),
    ],
    ['site', (m) => 'siteId' in m && m.siteId === call.siteId],
    ['utm_source', (m) => 'utmSource' in m && source !== undefined && m.utmSource.trim().toLowerCase() === source],
  ];
  for (const [by, matches] of tiers) {
    const rule = settings.pipelineRules.find((r) => matches(r.match));
    if (rule) return { pipelineId: rule.pipelineId, stageId: rule.stageId, by };
  }
  return { pipelineId: settings.defaultPipelineId, stageId: settings.defaultStageId, by: 'default' };
}

/** No source to write: nobody could be told apart (a pool number nobody held, or a site's fallback number). */
export const unattributed = (call: CallFacts): boolean => call.attribution.confidence === 'none' || call.attribution.confidence === 'fallback';

/** The values of the mappable fields for a call. */
export function fieldValues(call: CallFacts): Readonly<Record<RingpathField, string | undefined>> {
  const a = call.attribution;
  return {
    utm_source: a.source,
    utm_medium: a.medium,
    utm_campaign: a.campaign,
    utm_content: a.content,
    utm_term: a.term,
    ga_client_id: a.gaClientId,
    gclid: a.gclid,
    gbraid: a.gbraid,
    wbraid: a.wbraid,
    fbclid: a.fbclid,
    msclkid: a.msclkid,
    landing_page: a.landingPage,
    referrer: a.referrer,
    source_name: a.label,
    tracking_number: call.trackingNumber,
    attribution_confidence: a.confidence,
  };
}

/** The default attribution properties, plus the additional mapping when given; empty values are left out. */
export function attributionProperties(call: CallFacts, mapping: FieldMapping | null): Record<string, string> {
  const values = fieldValues(call);
  const out: Record<string, string> = {};
  const put = (property: string | undefined, value: string | undefined): void => {
    if (property !== undefined && value !== undefined && value.trim() !== '') out[property] = value;
  };
  for (const [field, property] of Object.entries(DEFAULT_PROPERTIES.attribution)) put(property, values[field as RingpathField]);
  if (mapping) for (const field of RINGPATH_FIELDS) put(mapping[field], values[field]);
  return out;
}

/** A recording the CRM can play: an HTTPS link to a .wav or .mp3 file. */
export function usableRecordingUrl(url: string | undefined): string | null {
  if (url === undefined) return null;
  try {
    const u = new URL(url);
    return u.protocol === 'https:' && /\.(wav|mp3)$/i.test(u.pathname) ? url : null;
  } catch {
    return null;
  }
}

function once<T>(f: () => T): () => T {
  let cell: { value: T } | undefined;
  return () => (cell ??= { value: f() }).value;
}

const STATUS: Readonly<Record<CallFacts['disposition'], CallStatus>> = {
  answered: 'COMPLETED',
  missed: 'NO_ANSWER',
  busy: 'BUSY',
  failed: 'FAILED',
  abandoned: 'NO_ANSWER',
  // never written: the matrix stops at a blocked call
  blocked: 'FAILED',
};

const ANY_OWNER: readonly LookupTarget[] = ['deal_owner', 'contact_owner'];

const ownerOf = <K extends string>(key: K, id: string | null | undefined): Partial<Record<K, string>> =>
  id ? ({ [key]: id } as Partial<Record<K, string>>) : {};

/** The CRM writes for one call in one phase (see CrmSettings.createWhen). */
export function decideCrmWrites(input: MatrixInput): MatrixResult {
  const { call, settings, phase } = input;
  const warnings: MatrixWarning[] = [];
  const warn = (code: WarningCode, message: string): void => {
    if (!warnings.some((w) => w.code === code && w.message === message)) warnings.push({ code, message });
  };
  const done = (row: MatrixRow, writes: CrmWrite[] = []): MatrixResult => ({ row, writes, warnings });
  if (call.direction === 'internal') return done('internal');
  // Refused by the dial plan: never rung, so no call to log, and a number a stolen
  // password dialled is no client (no contact, deal or task). It stays in the call log.
  if (call.disposition === 'blocked') return done('blocked');

  const inbound = call.direction === 'inbound';
  const client = inbound ? call.callerE164 : call.calleeE164;
  if (client === null) {
    warn('CLIENT_NUMBER_UNKNOWN', `call ${call.id}: the client's number is withheld; nothing can be written`);
    return done('anonymous');
  }

  // Records this call created at its start are "ours", referenced by key, never "existing".
  const m = input.mirror;
  const contact = m.contact?.createdByCallId === call.id ? undefined : m.contact;
  const deals = m.openDeals.filter((d) => d.createdByCallId !== call.id);
  const existing = contact !== undefined || deals.length > 0;
  const mirrorHasOurs = contact !== m.contact || deals.length !== m.openDeals.length;
  // The responsible manager: whom routing rang as such; else the mirror's, by the CRM
  // lookup order (MirrorFacts); else, by the same rule (src/routing/responsible.ts),
  // whoever owns the client's records this call did not create, deal first.
  const mirrorAnswer: ResponsibleLookup = { status: 'found', ...ownerOf('contactOwnerId', contact?.ownerId), ...ownerOf('dealOwnerId', deals.find((d) => d.ownerId)?.ownerId) };
  const responsibleRaw = !existing
    ? null
    : (call.routingResponsibleOwnerId ?? (mirrorHasOurs ? undefined : m.responsibleOwnerId) ?? responsibleOwner(mirrorAnswer, ANY_OWNER) ?? null);
  const primaryDeal = deals.find((d) => responsibleRaw !== null && d.ownerId === responsibleRaw) ?? deals[0];

  if (settings.utmOnly) return phase === 'call_start' ? done('call_start') : utmOnly(input, primaryDeal?.id, warn, done);

  // ---- owners ----
  const usable = (ownerId: string, what: string): boolean => {
    const known = m.owners?.[ownerId];
    if (m.owners === undefined || (known !== undefined && !known.archived)) return true;
    warn('OWNER_NOT_IN_MIRROR', `${what}: CRM owner ${ownerId} is ${known ? 'archived' : 'not in the mirror'}`);
    return false;
  };
  const senior = (): string | null => {
    const id = settings.seniorManagerOwnerId;
    if (id === null) warn('NO_SENIOR_MANAGER', 'no senior manager is configured; their tasks and records stay unassigned');
    return id !== null && usable(id, 'senior manager') ? id : null;
  };
  const ownerOrSenior = (id: string | null, what: string): string | null => (id !== null && usable(id, what) ? id : senior());
  const responsible = responsibleRaw !== null && usable(responsibleRaw, 'responsible manager') ? responsibleRaw : null;

  const answered = call.disposition === 'answered';
  // Who answers is not known when the call starts; who places an outbound call is.
  const partyMatters = inbound ? phase === 'after_call' && answered : true;
  let party = inbound ? call.answeredBy : call.placedBy;
  if (partyMatters && party === null) {
    warn('ANSWERER_MISSING', `call ${call.id}: ${inbound ? 'answered' : 'outbound'} but no employee or destination recorded`);
    party = { kind: 'unknown', destination: '?' };
  }
  let partyOwner: string | null = null;
  let partyProblem: 'unknown' | 'not_mapped' | null = null;
  if (partyMatters && party?.kind === 'unknown') {
    partyProblem = 'unknown';
    warn('UNKNOWN_EMPLOYEE', `call ${call.id}: ${party.destination} belongs to no employee`);
  } else if (partyMatters && party?.kind === 'employee') {
    if (party.ownerId === null) {
      partyProblem = 'not_mapped';
      warn('EMPLOYEE_NOT_MAPPED', `employee ${party.employeeId} (${party.name}) is not linked to a CRM owner`);
    } else if (usable(party.ownerId, `employee ${party.employeeId} (${party.name})`)) partyOwner = party.ownerId;
    else partyProblem = 'not_mapped';
  }

  // ---- what to create ----
  const atStart = settings.createWhen === 'call_start';
  const mayCreate = inbound || (settings.createForUnknownOutbound && !existing && (answered || atStart));
  const createContact = mayCreate && contact === undefined && deals.length === 0;
  const createDeal = mayCreate && settings.createEntities === 'contact_and_deal' && deals.length === 0;
  const creates = createContact || createDeal;
  // Before the answer nobody owns a new inbound client but the senior manager. Lazy: no
  // warning about a senior manager that the plan does not need.
  const startOwner = once(() =>
    inbound ? ownerOrSenior(responsible, 'responsible manager') : ownerOrSenior(partyOwner, 'placing employee'),
  );
  const finalOwner = once(() =>
    inbound ? ownerOrSenior(responsible ?? (answered ? partyOwner : null), 'record owner') : ownerOrSenior(partyOwner, 'placing employee'),
  );

  const nameOf = (ownerId: string | null): string | undefined =>
    ownerId === null
      ? undefined
      : (m.owners?.[ownerId]?.name ?? (party?.kind === 'employee' && party.ownerId === ownerId ? party.name : undefined));
  for (const [key, text] of Object.entries(settings.textOverrides ?? {})) {
    const unknown = unknownMergeFields(text ?? '');
    if (unknown.length > 0) warn('TEMPLATE_UNKNOWN_FIELD', `template ${key} uses unknown fields: ${unknown.join(', ')}`);
  }
  const recordingUrl = phase === 'after_call' && answered ? usableRecordingUrl(call.recordingUrl) : null;
  const texts = (people: TextPeople) => {
    const values = mergeValues(call, people, { language: settings.language, timeZone: settings.timeZone, recordingUrl });
    return (key: TemplateKey): string => render(template(settings.language, key, settings.textOverrides), values);
  };
  const employeeName = party?.kind === 'employee' ? party.name : undefined;
  const destination = party?.kind === 'unknown' ? party.destination : undefined;
  // A nameless owner (owners not passed) is shown by id rather than as "unassigned".
  const people = (managerId: string | null): TextPeople => ({
    employee: employeeName,
    destination,
    manager: nameOf(managerId) ?? managerId ?? undefined,
  });

  const writes: CrmWrite[] = [];
  const base = { callId: call.id };
  const contactRef: EntityRef | null = contact ? { id: contact.id } : createContact ? { ref: 'contact' } : null;
  const dealRef: EntityRef | null = primaryDeal ? { id: primaryDeal.id } : createDeal ? { ref: 'deal' } : null;
  const associations: Associations = { contact: contactRef, deal: dealRef };

  const createsNow = phase === (atStart ? 'call_start' : 'after_call');
  if (creates && createsNow) {
    const owner = atStart ? startOwner() : finalOwner();
    if (createContact) {
      const properties = { [DEFAULT_PROPERTIES.phone]: client, ...attributionProperties(call, createDeal ? null : settings.fieldMapping) };
      writes.push({ ...base, kind: 'upsertContact', key: 'contact', phoneE164: client, ownerId: owner, properties });
    }
    if (createDeal) {
      const p = choosePipeline(call, settings);
      const properties: CrmProperties = {
        [DEFAULT_PROPERTIES.dealName]: texts(people(owner))('dealName'),
        [DEFAULT_PROPERTIES.callId]: call.id,
        ...attributionProperties(call, settings.fieldMapping),
      };
      writes.push({ ...base, kind: 'createDeal', key: 'deal', properties, ownerId: owner, pipelineId: p.pipelineId, stageId: p.stageId, associateWith: contactRef });
    }
  }
  if (phase === 'call_start') return done('call_start', writes);

  if (!inbound && !existing && !creates) {
    warn(
      'OUTBOUND_UNKNOWN_CLIENT',
      settings.createForUnknownOutbound
        ? `outbound call ${call.id} to ${client} was not answered; no records created`
        : `outbound call ${call.id} to ${client}: the CRM does not know the number and createForUnknownOutbound is off`,
    );
    return done('outbound_unknown_skipped');
  }
  if (creates && atStart && finalOwner() !== startOwner()) {
    const ownerId = finalOwner();
    const created: EntityRef = { ref: 'contact' };
    if (createContact) writes.push({ ...base, kind: 'updateContact', key: 'contact:owner', contact: created, properties: {}, ownerId });
    if (createDeal) writes.push({ ...base, kind: 'updateDeal', key: 'deal:owner', deal: { ref: 'deal' }, properties: {}, ownerId });
  }

  const colleague = inbound && answered && existing && responsible !== null && partyOwner !== responsible;
  if (inbound && existing && responsible === null) {
    const then = answered ? 'no responsible manager to notify' : 'the call back task goes to the senior manager';
    warn('RESPONSIBLE_OWNER_UNKNOWN', `the CRM records of ${client} have no usable owner; ${then}`);
  }
  const row: MatrixRow = !inbound
    ? existing ? 'outbound_existing' : 'outbound_new'
    : !answered
      ? existing ? 'inbound_missed_existing' : 'inbound_missed_new'
      : !existing ? 'inbound_answered_new' : colleague ? 'inbound_answered_colleague' : 'inbound_answered_responsible';
  if (inbound && unattributed(call)) warn('UNATTRIBUTED', `call ${call.id}: ${call.attribution.label}`);
  if (answered && recordingUrl === null) {
    warn(
      call.recordingUrl === undefined ? 'NO_RECORDING' : 'RECORDING_URL_INVALID',
      call.recordingUrl === undefined ? `answered call ${call.id} has no recording` : `recording of call ${call.id} is not an HTTPS .wav/.mp3 link`,
    );
  }

  // ---- the call engagement ----
  const callOwner = inbound && !answered ? finalOwner() : partyOwner;
  const t = texts(people(colleague ? responsible : callOwner));
  const notes: string[] = [];
  if (!answered) notes.push(t('noteMissed'));
  if (colleague) notes.push(t('noteColleague'));
  if (partyProblem === 'unknown') notes.push(t('noteUnknownEmployee'));
  if (call.attribution.confidence === 'recent') notes.push(t('noteLowConfidence'));
  writes.push({
    ...base,
    kind: 'createCall',
    key: 'call',
    direction: inbound ? 'inbound' : 'outbound',
    status: !inbound && call.disposition === 'abandoned' ? 'CANCELED' : STATUS[call.disposition],
    disposition: call.disposition,
    durationMs: call.talkMs,
    fromE164: call.callerE164,
    toE164: call.calleeE164,
    ownerId: callOwner,
    timestamp: call.startedAt,
    title: t(inbound ? 'callTitleInbound' : 'callTitleOutbound'),
    body: [...notes, t('callBody')].join('\n\n'),
    recordingUrl,
    associations,
  });

  // ---- tasks ----
  const task = (key: WriteKey, text: [TemplateKey, TemplateKey], ownerId: string | null, dueAt: Date, status: TaskStatus): void => {
    const tt = texts(people(ownerId));
    writes.push({ ...base, kind: 'createTask', key, subject: tt(text[0]), body: tt(text[1]), ownerId, dueAt, status, associations });
  };
  if (inbound && !answered) {
    const due = new Date(settings.now.getTime() + settings.missedTaskDueMinutes * 60_000);
    // On an existing client the task is attached to the deal (else the contact): it goes
    // to that record's owner, so a deal owned by someone else never gets a task for another.
    // A deal this call creates is owned by finalOwner, like the task.
    const attached = primaryDeal ?? (createDeal ? undefined : contact);
    const attachedOwner = attached?.ownerId && usable(attached.ownerId, primaryDeal ? 'deal owner' : 'contact owner') ? attached.ownerId : null;
    task('task:callback', ['taskCallbackSubject', 'taskCallbackBody'], attachedOwner ?? finalOwner(), due, 'NOT_STARTED');
  }
  if (answered && (colleague || settings.completedTaskForEveryAnsweredCall)) {
    const text: [TemplateKey, TemplateKey] = colleague ? ['taskColleagueSubject', 'taskColleagueBody'] : ['taskAnsweredSubject', 'taskAnsweredBody'];
    task('task:answered', text, responsible ?? finalOwner(), call.endedAt, 'COMPLETED');
  }
  if (partyProblem !== null) {
    const text: [TemplateKey, TemplateKey] =
      partyProblem === 'unknown' ? ['taskCheckIntegrationSubject', 'taskCheckIntegrationBody'] : ['taskNotMappedSubject', 'taskNotMappedBody'];
    task('task:check-integration', text, senior(), settings.now, 'NOT_STARTED');
  }
  return done(row, writes);
}

/** UTM-only mode: UTMs (and the additional fields) onto the open deal another integration created; nothing else. */
function utmOnly(
  input: MatrixInput,
  dealId: string | undefined,
  warn: (code: WarningCode, message: string) => void,
  done: (row: MatrixRow, writes?: CrmWrite[]) => MatrixResult,
): MatrixResult {
  const { call, settings } = input;
  if (dealId === undefined) {
    warn('UTM_ONLY_NO_DEAL', `UTM-only mode: no open deal for call ${call.id} yet; nothing written (re-run once the mirror has the deal)`);
    return done('utm_only');
  }
  if (unattributed(call)) {
    warn('UNATTRIBUTED', `call ${call.id}: ${call.attribution.label}; UTM-only mode has nothing to write`);
    return done('utm_only');
  }
  const properties = attributionProperties(call, settings.fieldMapping);
  return done('utm_only', [{ kind: 'updateDeal', key: 'deal:utm', callId: call.id, deal: { id: dealId }, properties }]);
}
