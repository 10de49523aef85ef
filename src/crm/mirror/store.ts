// Writes to the mirror's contacts and deals. Every write carries the record's
// lastmodifieddate and never replaces a newer stored version, so full sync,
// incremental sync, webhooks and ringpath's own upserts may race safely.
// Run these inside one transaction (they are several statements).
import type { Queryable } from '../../db/pool.ts';
import { latestPerId } from './records.ts';
import type { MirrorContact, MirrorDeal, MirrorObjectType } from './types.ts';

export interface WriteResult {
  /** Records written (new, or newer than what was stored). */
  readonly applied: number;
  /** Records older than the stored version (or deleted since): only marked as seen. */
  readonly stale: number;
}

/** The known fields of a record: the ones not undefined. */
function known(fields: Record<string, unknown>): string[] {
  return Object.entries(fields).filter(([, v]) => v !== undefined).map(([k]) => k);
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

// A row is replaced by a version at least as new; a deleted one only by a strictly newer one (a restore).
const FRESH = (t: string) => `(NOT ${t}.archived AND (${t}.lastmodified_at IS NULL OR excluded.lastmodified_at IS NULL OR excluded.lastmodified_at >= ${t}.lastmodified_at))
      OR (${t}.archived AND excluded.lastmodified_at > ${t}.lastmodified_at)`;

async function markSeen(db: Queryable, table: 'crm_contacts' | 'crm_deals', ids: readonly string[], applied: ReadonlySet<string>): Promise<number> {
  const stale = ids.filter((id) => !applied.has(id));
  if (stale.length > 0) await db.query(`UPDATE ${table} SET synced_at = now() WHERE id = ANY($1::text[])`, [stale]);
  return stale.length;
}

export async function writeContacts(db: Queryable, input: readonly MirrorContact[]): Promise<WriteResult> {
  const contacts = latestPerId(input);
  if (contacts.length === 0) return { applied: 0, stale: 0 };
  const rows = contacts.map((c) => {
    const fields = { owner_id: c.ownerId, first_name: c.firstName, last_name: c.lastName, email: c.email };
    return { id: c.id, lastmodified_at: iso(c.lastModifiedAt), known: known(fields), ...fields };
  });
  const { rows: written } = await db.query<{ id: string }>(
    `WITH input AS (
       SELECT * FROM jsonb_to_recordset($1::jsonb)
         AS t(id text, lastmodified_at timestamptz, known text[], owner_id text, first_name text, last_name text, email text)
     )
     INSERT INTO crm_contacts AS c (id, owner_id, first_name, last_name, email, lastmodified_at, archived, synced_at)
     SELECT id, owner_id, first_name, last_name, email, lastmodified_at, false, now() FROM input
     ON CONFLICT (id) DO UPDATE SET
       (owner_id, first_name, last_name, email) = (
         SELECT CASE WHEN 'owner_id' = ANY(i.known) THEN i.owner_id ELSE c.owner_id END,
                CASE WHEN 'first_name' = ANY(i.known) THEN i.first_name ELSE c.first_name END,
                CASE WHEN 'last_name' = ANY(i.known) THEN i.last_name ELSE c.last_name END,
                CASE WHEN 'email' = ANY(i.known) THEN i.email ELSE c.email END
           FROM input i WHERE i.id = excluded.id),
       lastmodified_at = COALESCE(excluded.lastmodified_at, c.lastmodified_at),
       archived = false,
       synced_at = now()
     WHERE ${FRESH('c')}
     RETURNING c.id`,
    [JSON.stringify(rows)],
  );
  const applied = new Set(written.map((r) => r.id));
  const appliedIds = [...applied];
  if (appliedIds.length > 0) {
    const scopes = contacts.map((c) => ({ id: c.id, scope: c.phoneScope, keep: c.phones.map((p) => p.property) }));
    await db.query(
      `DELETE FROM crm_contact_phones p
        USING jsonb_to_recordset($1::jsonb) AS t(id text, scope text[], keep text[])
        WHERE p.contact_id = t.id AND t.id = ANY($2::text[])
          AND NOT (p.property = ANY(t.keep)) AND (t.scope IS NULL OR p.property = ANY(t.scope))`,
      [JSON.stringify(scopes), appliedIds],
    );
    const phones = contacts.flatMap((c) => c.phones.map((p) => ({ contact_id: c.id, ...p })));
    if (phones.length > 0) {
      await db.query(
        `INSERT INTO crm_contact_phones (contact_id, property, raw, e164, problem)
         SELECT contact_id, property, raw, e164, problem
           FROM jsonb_to_recordset($1::jsonb) AS t(contact_id text, property text, raw text, e164 text, problem text)
          WHERE contact_id = ANY($2::text[])
         ON CONFLICT (contact_id, property) DO UPDATE SET raw = excluded.raw, e164 = excluded.e164, problem = excluded.problem`,
        [JSON.stringify(phones), appliedIds],
      );
    }
  }
  const stale = await markSeen(db, 'crm_contacts', contacts.map((c) => c.id), applied);
  return { applied: applied.size, stale };
}

export async function writeDeals(db: Queryable, input: readonly MirrorDeal[]): Promise<WriteResult> {
  const deals = latestPerId(input);
  if (deals.length === 0) return { applied: 0, stale: 0 };
  const rows = deals.map((d) => {
    const fields = { name: d.name, owner_id: d.ownerId, pipeline_id: d.pipelineId, stage_id: d.stageId };
    return { id: d.id, lastmodified_at: iso(d.lastModifiedAt), known: known(fields), closed: d.closedInCrm ?? null, ...fields };
  });
  // Open means: the stage is not closed (won or lost) per the pipelines in
  // crm_stages, or per HubSpot's hs_is_closed for a stage not refreshed yet.
  const { rows: written } = await db.query<{ id: string }>(
    `WITH input AS (
       SELECT t.*, NOT COALESCE(s.is_closed, t.closed, false) AS open
         FROM jsonb_to_recordset($1::jsonb)
           AS t(id text, lastmodified_at timestamptz, known text[], closed boolean, name text, owner_id text, pipeline_id text, stage_id text)
         LEFT JOIN crm_stages s ON s.id = t.stage_id
     )
     INSERT INTO crm_deals AS d (id, name, owner_id, pipeline_id, stage_id, is_open, lastmodified_at, archived, synced_at)
     SELECT id, name, owner_id, pipeline_id, stage_id, open, lastmodified_at, false, now() FROM input
     ON CONFLICT (id) DO UPDATE SET
       (name, owner_id, pipeline_id, stage_id, is_open) = (
         SELECT CASE WHEN 'name' = ANY(i.known) THEN i.name ELSE d.name END,
                CASE WHEN 'owner_id' = ANY(i.known) THEN i.owner_id ELSE d.owner_id END,
                CASE WHEN 'pipeline_id' = ANY(i.known) THEN i.pipeline_id ELSE d.pipeline_id END,
                CASE WHEN 'stage_id' = ANY(i.known) THEN i.stage_id ELSE d.stage_id END,
                CASE WHEN 'stage_id' = ANY(i.known) THEN i.open ELSE d.is_open END
           FROM input i WHERE i.id = excluded.id),
       lastmodified_at = COALESCE(excluded.lastmodified_at, d.lastmodified_at),
       archived = false,
       synced_at = now()
     WHERE ${FRESH('d')}
     RETURNING d.id`,
    [JSON.stringify(rows)],
  );
  const applied = new Set(written.map((r) => r.id));
  const withContacts = deals.filter((d) => applied.has(d.id) && d.contactIds !== undefined);
  if (withContacts.length > 0) {
    await db.query('DELETE FROM crm_deal_contacts WHERE deal_id = ANY($1::text[])', [withContacts.map((d) => d.id)]);
    const pairs = withContacts.flatMap((d) => (d.contactIds ?? []).map((contact_id) => ({ deal_id: d.id, contact_id })));
    if (pairs.length > 0) {
      await db.query(
        `INSERT INTO crm_deal_contacts (deal_id, contact_id)
         SELECT deal_id, contact_id FROM jsonb_to_recordset($1::jsonb) AS t(deal_id text, contact_id text)
         ON CONFLICT DO NOTHING`,
        [JSON.stringify(pairs)],
      );
    }
  }
  const stale = await markSeen(db, 'crm_deals', deals.map((d) => d.id), applied);
  return { applied: applied.size, stale };
}

const TABLE: Readonly<Record<MirrorObjectType, 'crm_contacts' | 'crm_deals'>> = { contacts: 'crm_contacts', deals: 'crm_deals' };

/**
 * Records deleted in the CRM (or merged away). They stay as tombstones, so that
 * a read older than the deletion cannot bring them back; lookups skip them.
 */
export async function archiveRecords(db: Queryable, type: MirrorObjectType, ids: readonly string[], at: Date): Promise<number> {
  if (ids.length === 0) return 0;
  const { rowCount } = await db.query(
    `INSERT INTO ${TABLE[type]} AS r (id, archived, lastmodified_at, synced_at)
     SELECT DISTINCT unnest($1::text[]), true, $2::timestamptz, now()
     ON CONFLICT (id) DO UPDATE SET archived = true, lastmodified_at = GREATEST(r.lastmodified_at, excluded.lastmodified_at), synced_at = now()`,
    [ids, at.toISOString()],
  );
  return rowCount ?? 0;
}

/** After a full sync: live records it did not see were deleted in the CRM meanwhile. */
export async function archiveUnseen(db: Queryable, type: MirrorObjectType, since: Date): Promise<string[]> {
  const { rows } = await db.query<{ id: string }>(
    `UPDATE ${TABLE[type]} SET archived = true, lastmodified_at = GREATEST(lastmodified_at, $1::timestamptz), synced_at = now()
      WHERE NOT archived AND synced_at < $1::timestamptz
      RETURNING id`,
    [since.toISOString()],
  );
  return rows.map((r) => r.id);
}

/** After the pipelines changed: every deal's open flag from its stage. */
export async function recomputeOpenDeals(db: Queryable): Promise<number> {
  const { rowCount } = await db.query(
    `UPDATE crm_deals d SET is_open = NOT s.is_closed FROM crm_stages s WHERE s.id = d.stage_id AND d.is_open = s.is_closed`,
  );
  return rowCount ?? 0;
}
