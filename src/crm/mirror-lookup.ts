// Smart forwarding reads the local CRM mirror, never the CRM's API (SPEC §5, §6).
import type { Queryable } from '../db/pool.ts';
import { lookupWithinBudget } from '../routing/lookup-budget.ts';
import type { ResponsibleLookup } from '../routing/types.ts';

export interface MirrorMatch {
  readonly contactId: string;
  readonly contactOwnerId: string | null;
  /** Open deals of the contact, most recently modified first. */
  readonly openDeals: ReadonlyArray<{ readonly id: string; readonly ownerId: string | null }>;
}

/**
 * Contacts whose phone properties hold this E.164 number, most recently modified
 * first, each with its open deals. A deal is open when its stage is neither
 * closed won nor closed lost.
 */
export async function findByPhone(db: Queryable, e164: string): Promise<MirrorMatch[]> {
  const { rows } = await db.query<{
    contact_id: string;
    owner_id: string | null;
    deals: Array<{ id: string; owner_id: string | null }> | null;
  }>(
    `SELECT c.id AS contact_id, c.owner_id,
            (SELECT json_agg(json_build_object('id', d.id, 'owner_id', d.owner_id) ORDER BY d.lastmodified_at DESC NULLS LAST)
               FROM crm_deal_contacts dc JOIN crm_deals d ON d.id = dc.deal_id
              WHERE dc.contact_id = c.id AND d.is_open AND NOT d.archived) AS deals
       FROM crm_contacts c
      WHERE NOT c.archived AND c.id IN (SELECT contact_id FROM crm_contact_phones WHERE e164 = $1)
      ORDER BY c.lastmodified_at DESC NULLS LAST
      LIMIT 10`,
    [e164],
  );
  return rows.map((r) => ({
    contactId: r.contact_id,
    contactOwnerId: r.owner_id,
    openDeals: (r.deals ?? []).map((d) => ({ id: d.id, ownerId: d.owner_id })),
  }));
}

/** The owners the responsible-manager step may ring: first contact's owner, first open deal's owner. */
export function responsibleFrom(matches: readonly MirrorMatch[]): ResponsibleLookup {
  if (matches.length === 0) return { status: 'not_found' };
  const contactOwnerId = matches.find((m) => m.contactOwnerId)?.contactOwnerId ?? undefined;
  const dealOwnerId = matches.flatMap((m) => m.openDeals).find((d) => d.ownerId)?.ownerId ?? undefined;
  if (!contactOwnerId && !dealOwnerId) return { status: 'not_found' };
  return {
    status: 'found',
    ...(contactOwnerId ? { contactOwnerId } : {}),
    ...(dealOwnerId ? { dealOwnerId } : {}),
  };
}

/**
 * The lookup within a time budget: a failure or a slow database yields
 * `failed`/`timeout`, and routing moves on to its next step at once.
 */
export function lookupResponsible(db: Queryable, e164: string, budgetMs: number): Promise<ResponsibleLookup> {
  return lookupWithinBudget(async () => responsibleFrom(await findByPhone(db, e164)), budgetMs);
}
