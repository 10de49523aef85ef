// The mirror's reference data: owners, deal pipelines and their stages, and the
// contact properties that hold phone numbers. "Refresh CRM data" replaces them.
import type { Queryable } from '../../db/pool.ts';
import type { OwnerRecord, PipelineRecord } from './types.ts';

export interface CatalogCounts {
  readonly owners: number;
  readonly pipelines: number;
  readonly stages: number;
  readonly phoneProperties: number;
  /** Deals whose open flag changed because a stage is now closed or open. */
  readonly dealsReopenedOrClosed: number;
}

/** Owners as listed now; owners no longer listed at all are kept as archived (deals may still name them). */
export async function replaceOwners(db: Queryable, owners: readonly OwnerRecord[]): Promise<number> {
  const rows = owners.map((o) => ({ id: o.id, email: o.email, first_name: o.firstName, last_name: o.lastName, archived: o.archived }));
  await db.query(
    `INSERT INTO crm_owners AS o (id, email, first_name, last_name, archived, updated_at)
     SELECT id, email, first_name, last_name, archived, now()
       FROM jsonb_to_recordset($1::jsonb) AS t(id text, email text, first_name text, last_name text, archived boolean)
     ON CONFLICT (id) DO UPDATE SET email = excluded.email, first_name = excluded.first_name, last_name = excluded.last_name,
       archived = excluded.archived, updated_at = now()`,
    [JSON.stringify(rows)],
  );
  await db.query(`UPDATE crm_owners SET archived = true, updated_at = now() WHERE NOT archived AND NOT (id = ANY($1::text[]))`, [
    owners.map((o) => o.id),
  ]);
  return owners.filter((o) => !o.archived).length;
}

/** Pipelines and stages exactly as the CRM has them now (removed ones are deleted). */
export async function replacePipelines(db: Queryable, pipelines: readonly PipelineRecord[]): Promise<{ pipelines: number; stages: number }> {
  const p = pipelines.map((x) => ({ id: x.id, label: x.label, position: x.position }));
  const s = pipelines.flatMap((x) =>
    x.stages.map((st) => ({ id: st.id, pipeline_id: x.id, label: st.label, position: st.position, is_closed: st.isClosed, is_won: st.isWon })),
  );
  await db.query(
    `INSERT INTO crm_pipelines AS p (id, label, position, updated_at)
     SELECT id, label, position, now() FROM jsonb_to_recordset($1::jsonb) AS t(id text, label text, position integer)
     ON CONFLICT (id) DO UPDATE SET label = excluded.label, position = excluded.position, updated_at = now()`,
    [JSON.stringify(p)],
  );
  await db.query('DELETE FROM crm_pipelines WHERE NOT (id = ANY($1::text[]))', [p.map((x) => x.id)]);
  await db.query(
    `INSERT INTO crm_stages AS s (id, pipeline_id, label, position, is_closed, is_won, updated_at)
     SELECT id, pipeline_id, label, position, is_closed, is_won, now()
       FROM jsonb_to_recordset($1::jsonb) AS t(id text, pipeline_id text, label text, position integer, is_closed boolean, is_won boolean)
     ON CONFLICT (id) DO UPDATE SET pipeline_id = excluded.pipeline_id, label = excluded.label, position = excluded.position,
       is_closed = excluded.is_closed, is_won = excluded.is_won, updated_at = now()`,
    [JSON.stringify(s)],
  );
  await db.query('DELETE FROM crm_stages WHERE NOT (id = ANY($1::text[]))', [s.map((x) => x.id)]);
  return { pipelines: p.length, stages: s.length };
}

export interface PhoneProperty {
  readonly name: string;
  readonly origin: 'default' | 'discovered' | 'custom';
}

export async function listPhoneProperties(db: Queryable): Promise<PhoneProperty[]> {
  const { rows } = await db.query<PhoneProperty>('SELECT name, origin FROM crm_phone_properties ORDER BY name');
  return rows;
}

export async function phonePropertyNames(db: Queryable): Promise<string[]> {
  return (await listPhoneProperties(db)).map((p) => p.name);
}

/** The CRM's own phone-typed properties, as discovered now (defaults and custom ones stay). */
export async function replaceDiscoveredPhoneProperties(db: Queryable, names: readonly string[]): Promise<void> {
  await db.query(`DELETE FROM crm_phone_properties WHERE origin = 'discovered' AND NOT (name = ANY($1::text[]))`, [names]);
  await db.query(
    `INSERT INTO crm_phone_properties (name, origin) SELECT unnest($1::text[]), 'discovered' ON CONFLICT (name) DO NOTHING`,
    [names],
  );
}

/** The properties an admin added; returns the whole list. */
export async function replaceCustomPhoneProperties(db: Queryable, names: readonly string[]): Promise<PhoneProperty[]> {
  await db.query(`DELETE FROM crm_phone_properties WHERE origin = 'custom' AND NOT (name = ANY($1::text[]))`, [names]);
  await db.query(`INSERT INTO crm_phone_properties (name, origin) SELECT unnest($1::text[]), 'custom' ON CONFLICT (name) DO NOTHING`, [names]);
  return listPhoneProperties(db);
}
