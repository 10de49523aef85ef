// What the local CRM mirror knows about a client's number, as the matrix reads it
// (MirrorFacts). Never the CRM's API: the mirror is local and search-free.
//
// Records this call's own earlier writes made (or adopted) are marked as created by
// the call, so a sync resumed after a crash decides the same plan as the first
// attempt instead of seeing its own contact as an "existing client".
import type { Queryable } from '../../db/pool.ts';
import type { LookupTarget } from '../../routing/types.ts';
import { responsibleOwner } from '../../routing/responsible.ts';
import { findByPhone, responsibleFrom, type MirrorMatch } from '../mirror-lookup.ts';
import type { CrmOwner, MirrorDeal, MirrorFacts, WriteKey } from '../types.ts';
import type { Ledger } from './ledger.ts';

/** Ids of records written (or found written) for a call, by write key. */
export type OwnIds = ReadonlyMap<WriteKey, string | undefined>;

/** The ids this call's ledger (and the lookups of its writes left in flight) hold for its contact and deal. */
export function ownRecords(ledger: Ledger, recovered: OwnIds = new Map()): { contactIds: Set<string>; dealIds: Set<string> } {
  const contactIds = new Set<string>();
  const dealIds = new Set<string>();
  const id = (key: WriteKey) => ledger.get(key)?.objectId ?? recovered.get(key);
  for (const [key, into] of [['contact', contactIds], ['deal', dealIds]] as const) {
    const found = id(key);
    if (found) into.add(found);
  }
  return { contactIds, dealIds };
}

/** Pure: mirror matches (most recently modified first) as MirrorFacts. */
export function toMirrorFacts(
  matches: readonly MirrorMatch[],
  opts: { callId: string; ledger: Ledger; recovered?: OwnIds; lookupOrder: readonly LookupTarget[]; owners?: Readonly<Record<string, CrmOwner>> },
): MirrorFacts {
  const own = ownRecords(opts.ledger, opts.recovered);
  const first = matches[0];
  const seen = new Set<string>();
  const openDeals: MirrorDeal[] = [];
  for (const m of matches) {
    for (const d of m.openDeals) {
      if (seen.has(d.id)) continue;
      seen.add(d.id);
      openDeals.push({ id: d.id, ownerId: d.ownerId, pipelineId: null, stageId: null, ...(own.dealIds.has(d.id) ? { createdByCallId: opts.callId } : {}) });
    }
  }
  const responsibleOwnerId = responsibleOwner(responsibleFrom(matches), opts.lookupOrder);
  return {
    ...(first
      ? { contact: { id: first.contactId, ownerId: first.contactOwnerId, ...(own.contactIds.has(first.contactId) ? { createdByCallId: opts.callId } : {}) } }
      : {}),
    openDeals,
    ...(responsibleOwnerId ? { responsibleOwnerId } : {}),
    ...(opts.owners ? { owners: opts.owners } : {}),
  };
}

/** The CRM owners the mirror knows; undefined when it knows none yet (owners are then not checked). */
export async function loadOwners(db: Queryable): Promise<Readonly<Record<string, CrmOwner>> | undefined> {
  const { rows } = await db.query<{ id: string; name: string; archived: boolean }>(
    `SELECT id, coalesce(nullif(trim(concat_ws(' ', first_name, last_name)), ''), email, id) AS name, archived FROM crm_owners`,
  );
  if (rows.length === 0) return undefined;
  return Object.fromEntries(rows.map((r) => [r.id, { name: r.name, archived: r.archived }]));
}

export async function loadMirrorFacts(
  db: Queryable,
  e164: string,
  opts: { callId: string; ledger: Ledger; recovered?: OwnIds; lookupOrder: readonly LookupTarget[] },
): Promise<MirrorFacts> {
  const [matches, owners] = await Promise.all([findByPhone(db, e164), loadOwners(db)]);
  return toMirrorFacts(matches, { ...opts, ...(owners ? { owners } : {}) });
}

/** A contact for the number that this call did not create, if the mirror has one now. */
export async function existingContact(db: Queryable, e164: string, ledger: Ledger, recovered?: OwnIds): Promise<string | undefined> {
  const own = ownRecords(ledger, recovered);
  const matches = await findByPhone(db, e164);
  return matches.find((m) => !own.contactIds.has(m.contactId))?.contactId;
}
