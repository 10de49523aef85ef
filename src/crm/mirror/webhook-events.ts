// HubSpot webhook payloads → what the mirror does about them. Pure.
//
// A deletion is applied at once (no CRM read needed). Every other event about a
// contact or deal (creation, property change, restore, merge, association
// change) only names a record to re-read: the event carries one property at a
// time, and several events for one record arrive in one batch, so reading the
// record whole once is both simpler and cheaper.
import type { MirrorObjectType } from './types.ts';

export interface RecordRef {
  readonly type: MirrorObjectType;
  readonly id: string;
}

export interface WebhookActions {
  /** Records to read again from the CRM, once each. */
  readonly reread: readonly RecordRef[];
  /** Records deleted in the CRM, with when. */
  readonly deleted: ReadonlyArray<RecordRef & { readonly at: Date }>;
  /** Events about other objects or of other kinds. */
  readonly ignored: number;
}

export type ParsedWebhook = { readonly ok: true; readonly actions: WebhookActions } | { readonly ok: false; readonly message: string };

const OBJECT_TYPE_IDS: Readonly<Record<string, MirrorObjectType>> = { '0-1': 'contacts', '0-3': 'deals' };
const SINGULAR: Readonly<Record<string, MirrorObjectType>> = { contact: 'contacts', deal: 'deals' };
const REREAD_KINDS = new Set(['creation', 'propertyChange', 'restore', 'merge', 'associationChange']);
const DELETE_KINDS = new Set(['deletion', 'privacyDeletion']);

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function id(v: unknown): string | undefined {
  if (typeof v === 'number' && Number.isSafeInteger(v) && v > 0) return String(v);
  if (typeof v === 'string' && /^\d{1,20}$/.test(v)) return v;
  return undefined;
}

function ids(v: unknown): string[] {
  return Array.isArray(v) ? v.map(id).filter((x): x is string => x !== undefined) : [];
}

/** "contact.propertyChange", or "object.propertyChange" with objectTypeId "0-1". */
function subject(e: Record<string, unknown>): { type: MirrorObjectType | undefined; kind: string } | undefined {
  if (typeof e.subscriptionType !== 'string') return undefined;
  const [object = '', kind = ''] = e.subscriptionType.split('.');
  const type = object === 'object' && typeof e.objectTypeId === 'string' ? OBJECT_TYPE_IDS[e.objectTypeId] : SINGULAR[object];
  return { type, kind };
}

/** The deal an association change touches, if it is one between a contact and a deal. */
function associatedDeal(type: MirrorObjectType, e: Record<string, unknown>): string | undefined {
  const kind = typeof e.associationType === 'string' ? e.associationType.toUpperCase() : '';
  if (type === 'deals' && kind.endsWith('_TO_CONTACT')) return id(e.fromObjectId);
  if (type === 'contacts' && kind.endsWith('_TO_DEAL')) return id(e.toObjectId);
  return undefined;
}

export function parseWebhookEvents(body: unknown, now: Date = new Date()): ParsedWebhook {
  if (!Array.isArray(body)) return { ok: false, message: 'the body must be a JSON array of HubSpot webhook events' };
  const reread = new Map<string, RecordRef>();
  const deleted = new Map<string, RecordRef & { at: Date }>();
  let ignored = 0;
  const add = (type: MirrorObjectType, objectId: string | undefined) => {
    if (objectId !== undefined) reread.set(`${type}:${objectId}`, { type, id: objectId });
  };
  for (const e of body) {
    const s = isRecord(e) ? subject(e) : undefined;
    if (!isRecord(e) || !s?.type) {
      ignored++;
      continue;
    }
    const { type, kind } = s;
    const objectId = id(e.objectId);
    if (DELETE_KINDS.has(kind) && objectId !== undefined) {
      const at = typeof e.occurredAt === 'number' && Number.isFinite(e.occurredAt) ? new Date(e.occurredAt) : now;
      const prev = deleted.get(`${type}:${objectId}`);
      if (!prev || prev.at < at) deleted.set(`${type}:${objectId}`, { type, id: objectId, at });
    } else if (kind === 'associationChange') {
      const deal = associatedDeal(type, e);
      if (deal === undefined) ignored++;
      else add('deals', deal);
    } else if (kind === 'merge') {
      // the surviving record, and the merged-away ones (they read as missing, hence deleted)
      add(type, id(e.primaryObjectId) ?? id(e.newObjectId) ?? objectId);
      for (const merged of ids(e.mergedObjectIds)) add(type, merged);
    } else if (REREAD_KINDS.has(kind) && objectId !== undefined) {
      add(type, objectId);
    } else {
      ignored++;
    }
  }
  return { ok: true, actions: { reread: [...reread.values()], deleted: [...deleted.values()], ignored } };
}
