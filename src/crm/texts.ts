// The texts ringpath writes to the CRM (SPEC §6), in the integration's language:
// deal names, call engagement titles and bodies, task subjects and bodies. Every text
// is a template with {merge_field} placeholders; admins may override any of them.
// Pure: formatting uses Intl with an explicit time zone, never the process clock.
import type { CallAttribution, CallDisposition, CallFacts, Language, RoutingTraceStep, TemplateKey } from './types.ts';
import { en } from './texts/en.ts';
import { es } from './texts/es.ts';
import { ru } from './texts/ru.ts';
import { uk } from './texts/uk.ts';

export interface Catalogue {
  readonly templates: Readonly<Record<TemplateKey, string>>;
  readonly words: {
    /** A value that is not set (no campaign, no tracking number). */
    readonly none: string;
    readonly noRecording: string;
    /** {employee} of a call nobody answered. */
    readonly nobody: string;
    /** {manager} of a task with no owner. */
    readonly unassigned: string;
    readonly unknownEmployee: string;
    readonly directions: Readonly<Record<'inbound' | 'outbound', string>>;
    readonly dispositions: Readonly<Record<CallDisposition, string>>;
  };
}

export const LANGUAGES: readonly Language[] = ['en', 'es', 'ru', 'uk'];
const CATALOGUES: Readonly<Record<Language, Catalogue>> = { en, es, ru, uk };

export function catalogue(language: Language): Catalogue {
  return CATALOGUES[language];
}

/** Every merge field a template may use. */
export const MERGE_FIELDS = [
  /** The number that called (inbound: the client). */
  'caller',
  /** The number called (outbound: the client). */
  'callee',
  /** The client's number, whatever the direction. */
  'client',
  /** The attribution label, e.g. "google / cpc" or "unattributed (pool exhausted)". */
  'source',
  'medium',
  'campaign',
  /** "utm_source=google, utm_medium=cpc, …". */
  'utm',
  /** The responsible manager (the task's owner). */
  'manager',
  /** Who answered (inbound) or placed (outbound) the call. */
  'employee',
  /** The destination that answered or placed the call (unknown employees). */
  'destination',
  'tracking_number',
  /** Talk time, m:ss. */
  'duration',
  'recording_url',
  /** The call's start, "YYYY-MM-DD HH:MM (zone)". */
  'called_at',
  'call_id',
  'direction',
  'disposition',
  /** The routing trace, one step a line. */
  'routing',
] as const;
export type MergeField = (typeof MERGE_FIELDS)[number];
export type MergeValues = Readonly<Record<MergeField, string>>;

const PLACEHOLDER = /\{([a-z_]+)\}/g;
const isMergeField = (name: string): name is MergeField => (MERGE_FIELDS as readonly string[]).includes(name);

/** Fills every known {field}; an unknown placeholder is left as written so the mistake shows. */
export function render(template: string, values: MergeValues): string {
  return template.replace(PLACEHOLDER, (whole, name: string) => (isMergeField(name) ? values[name] : whole));
}

/** Placeholders a template uses that are not merge fields (for validating admin templates). */
export function unknownMergeFields(template: string): string[] {
  const names = [...template.matchAll(PLACEHOLDER)].map((m) => m[1] ?? '');
  return [...new Set(names.filter((n) => !isMergeField(n)))];
}

/** The admin's template when one is set and not blank, else the built-in one. */
export function template(language: Language, key: TemplateKey, overrides?: Readonly<Partial<Record<TemplateKey, string>>>): string {
  const own = overrides?.[key];
  return own !== undefined && own.trim() !== '' ? own : catalogue(language).templates[key];
}

/** Talk time as m:ss, or h:mm:ss from an hour up. */
export function formatDuration(ms: number): string {
  const total = Math.max(0, Math.round(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = String(total % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
}

/** "2024-05-01 14:03 (Europe/Madrid)"; an unknown zone falls back to UTC. */
export function formatDateTime(date: Date, timeZone = 'UTC'): string {
  let zone = timeZone;
  let format: Intl.DateTimeFormat;
  try {
    format = dateFormat(zone);
  } catch {
    zone = 'UTC';
    format = dateFormat(zone);
  }
  const part = (type: Intl.DateTimeFormatPartTypes): string => format.formatToParts(date).find((p) => p.type === type)?.value ?? '';
  return `${part('year')}-${part('month')}-${part('day')} ${part('hour')}:${part('minute')} (${zone})`;
}

function dateFormat(timeZone: string): Intl.DateTimeFormat {
  return new Intl.DateTimeFormat('en-GB', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  });
}

/** "utm_source=google, utm_medium=cpc"; undefined when the call has no UTMs. */
export function formatUtm(a: CallAttribution): string | undefined {
  const pairs: Array<[string, string | undefined]> = [
    ['utm_source', a.source],
    ['utm_medium', a.medium],
    ['utm_campaign', a.campaign],
    ['utm_content', a.content],
    ['utm_term', a.term],
  ];
  const set = pairs.filter((p): p is [string, string] => p[1] !== undefined && p[1] !== '');
  return set.length > 0 ? set.map(([k, v]) => `${k}=${v}`).join(', ') : undefined;
}

/** One line a step: "1. responsible_manager: no_answer, 20 s (reason)". */
export function formatRouting(trace: readonly RoutingTraceStep[]): string | undefined {
  if (trace.length === 0) return undefined;
  return trace
    .map((s, i) => {
      const ring = s.ringMs !== undefined ? `, ${Math.round(s.ringMs / 1000)} s` : '';
      const reason = s.reason ? ` (${s.reason})` : '';
      return `${i + 1}. ${s.stepType}: ${s.result}${ring}${reason}`;
    })
    .join('\n');
}

/** Who the texts name; the matrix decides it per write. */
export interface TextPeople {
  /** The answering or placing employee's name; absent when nobody answered. */
  readonly employee?: string;
  /** The destination of an unknown employee. */
  readonly destination?: string;
  /** The task owner's name; absent when unassigned. */
  readonly manager?: string;
}

export interface TextOptions {
  readonly language: Language;
  readonly timeZone?: string;
  /** The recording actually handed to the CRM (already validated). */
  readonly recordingUrl: string | null;
}

/** Every merge field for one call, localised; missing values read "not set" in the language. */
export function mergeValues(call: CallFacts, people: TextPeople, options: TextOptions): MergeValues {
  const w = catalogue(options.language).words;
  const or = (v: string | null | undefined): string => (v === undefined || v === null || v === '' ? w.none : v);
  const client = call.direction === 'outbound' ? call.calleeE164 : call.callerE164;
  const a = call.attribution;
  return {
    caller: or(call.callerE164),
    callee: or(call.calleeE164),
    client: or(client),
    source: or(a.label || a.source),
    medium: or(a.medium),
    campaign: or(a.campaign),
    utm: or(formatUtm(a)),
    manager: people.manager ?? w.unassigned,
    employee: people.employee ?? (people.destination !== undefined ? `${w.unknownEmployee} (${people.destination})` : w.nobody),
    destination: or(people.destination),
    tracking_number: or(call.trackingNumber),
    duration: formatDuration(call.talkMs),
    recording_url: options.recordingUrl ?? w.noRecording,
    called_at: formatDateTime(call.startedAt, options.timeZone),
    call_id: call.id,
    direction: call.direction === 'outbound' ? w.directions.outbound : w.directions.inbound,
    disposition: w.dispositions[call.disposition],
    routing: or(formatRouting(call.routingTrace)),
  };
}
