// Data shared by the benchmarks (bench:routing, bench:sip): employees, a
// responsible manager → round robin → senior manager scheme stored through the
// repositories, a CRM mirror seeded in bulk, and callers drawn from it.
import type { Pool } from '../../src/db/pool.ts';
import { employeesRepository, type DestinationWrite } from '../../src/db/repositories/employees.ts';
import { routingSchemesRepository } from '../../src/db/repositories/routing-schemes.ts';
import { trackingNumbersRepository } from '../../src/db/repositories/tracking-numbers.ts';

const SEED_CHUNK = 25_000;
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

/** The numbers a seeded contact has: its `phone`, and its mobile for 3 contacts in 5 (WhatsApp on the mobile for 1 in 5). */
export const phoneOf = (g: number) => `+38050${String(g).padStart(7, '0')}`;
export const mobileOf = (g: number) => (g % 5 < 3 ? `+38067${String(g).padStart(7, '0')}` : undefined);

/** A CRM mirror of `contacts` contacts, in bulk (INSERT … SELECT generate_series), printing progress. */
export async function seedMirror(pool: Pool, ownerIds: readonly string[], contacts: number, log: (line: string) => void = console.log): Promise<void> {
  // some records carry an owner no employee is mapped to: 2% of contacts, 1 deal in 51
  const owners = [...ownerIds, 'owner-unmapped'];
  const t0 = performance.now();
  for (let from = 1; from <= contacts; from += SEED_CHUNK) {
    const to = Math.min(contacts, from + SEED_CHUNK - 1);
    await pool.query(
      `INSERT INTO crm_contacts (id, owner_id, first_name, last_name, email, lastmodified_at)
       SELECT 'c' || g, CASE WHEN g % 50 = 0 THEN 'owner-unmapped' ELSE ($3::text[])[1 + (g::bigint * 7919) % cardinality($3::text[])] END,
              'First' || g, 'Last' || g, 'contact' || g || '@example.com', now() - (g % 5000) * interval '1 hour'
         FROM generate_series($1::int, $2::int) g`,
      [from, to, ownerIds],
    );
    // phone for every contact (every 97th shares the previous contact's number), mobile for 3 in 5, WhatsApp = mobile for 1 in 5
    await pool.query(
      `INSERT INTO crm_contact_phones (contact_id, property, raw, e164)
       SELECT 'c' || g, 'phone', n, n FROM generate_series($1::int, $2::int) g,
              LATERAL (SELECT '+38050' || lpad((CASE WHEN g % 97 = 0 AND g > 1 THEN g - 1 ELSE g END)::text, 7, '0') AS n) x
       UNION ALL
       SELECT 'c' || g, 'mobilephone', n, n FROM generate_series($1::int, $2::int) g,
              LATERAL (SELECT '+38067' || lpad(g::text, 7, '0') AS n) x WHERE g % 5 < 3
       UNION ALL
       SELECT 'c' || g, 'hs_whatsapp_phone_number', n, n FROM generate_series($1::int, $2::int) g,
              LATERAL (SELECT '+38067' || lpad(g::text, 7, '0') AS n) x WHERE g % 5 = 0`,
      [from, to],
    );
    // a deal for 6 contacts in 10 (open for 4 of them, closed for 2), a second open deal for 1 in 10
    await pool.query(
      `INSERT INTO crm_deals (id, name, owner_id, pipeline_id, stage_id, is_open, lastmodified_at)
       SELECT 'd' || g, 'Deal ' || g, ($3::text[])[1 + (g::bigint * 104729) % cardinality($3::text[])], 'default',
              CASE WHEN g % 10 < 4 THEN 'open' ELSE 'closedwon' END, g % 10 < 4, now() - (g % 700) * interval '1 hour'
         FROM generate_series($1::int, $2::int) g WHERE g % 10 < 6
       UNION ALL
       SELECT 'e' || g, 'Second deal ' || g, ($3::text[])[1 + (g::bigint * 15485863) % cardinality($3::text[])], 'default', 'open', true,
              now() - (g % 300) * interval '1 hour'
         FROM generate_series($1::int, $2::int) g WHERE g % 10 = 0`,
      [from, to, owners],
    );
    await pool.query(
      `INSERT INTO crm_deal_contacts (deal_id, contact_id)
       SELECT 'd' || g, 'c' || g FROM generate_series($1::int, $2::int) g WHERE g % 10 < 6
       UNION ALL
       SELECT 'e' || g, 'c' || g FROM generate_series($1::int, $2::int) g WHERE g % 10 = 0`,
      [from, to],
    );
    log(`  seeded contacts ${fmt(from)}–${fmt(to)} of ${fmt(contacts)} (${((performance.now() - t0) / 1000).toFixed(1)} s)`);
  }
  const counts = await pool.query<{ contacts: number; phones: number; deals: number; open: number }>(
    `SELECT (SELECT count(*) FROM crm_contacts)::int AS contacts, (SELECT count(*) FROM crm_contact_phones)::int AS phones,
            (SELECT count(*) FROM crm_deals)::int AS deals, (SELECT count(*) FROM crm_deals WHERE is_open)::int AS open`,
  );
  const c = counts.rows[0]!;
  log(`  mirror: ${fmt(c.contacts)} contacts, ${fmt(c.phones)} phone values, ${fmt(c.deals)} deals (${fmt(c.open)} open)`);
  // what autovacuum does to freshly synced tables: statistics for the planner, the visibility map for index-only scans
  await pool.query('VACUUM ANALYZE crm_contacts, crm_contact_phones, crm_deals, crm_deal_contacts');
  log(`  VACUUM ANALYZE of the mirror tables done (${((performance.now() - t0) / 1000).toFixed(1)} s)`);
}

/** `count` employees through the repositories: a third receive new clients, one is the senior manager, each has a CRM owner id. */
export async function seedEmployees(
  pool: Pool,
  count: number,
  destinations: (i: number) => DestinationWrite[],
): Promise<{ ownerIds: string[]; receivers: number[] }> {
  const ownerIds: string[] = [];
  const receivers: number[] = [];
  for (let i = 0; i < count; i++) {
    const ownerId = `${70_000_000 + i}`;
    const receives = i >= 2 && i % 3 === 0;
    const row = await employeesRepository.create(pool, {
      email: `employee${i}@example.com`,
      full_name: `Employee ${i}`,
      access_level: 'employee',
      sales_role: i < 2 ? 'quality_control' : i < 5 ? 'head' : 'sales_rep',
      extension: String(100 + i),
      hubspot_owner_id: ownerId,
      receives_new_clients: receives,
      is_senior_manager: i === 4,
    });
    await employeesRepository.replaceDestinations(pool, row.id, { main: destinations(i) });
    ownerIds.push(ownerId);
    if (receives) receivers.push(row.id);
  }
  return { ownerIds, receivers };
}

/** The scheme responsible manager → round-robin new-client distribution → senior manager, on a static tracking number. */
export async function seedRoundRobinScheme(pool: Pool, trackingNumber: string, name = 'bench'): Promise<number> {
  const client = await pool.connect();
  let schemeId: number;
  try {
    await client.query('BEGIN');
    schemeId = await routingSchemesRepository.create(client, {
      name,
      steps: [
        { type: 'responsible_manager', ring_timeout_s: 20, lookup_order: ['deal_owner', 'contact_owner'] },
        { type: 'new_client_distribution', ring_timeout_s: 25, mode: 'round_robin' },
        { type: 'senior_manager', ring_timeout_s: 30 },
      ],
    });
    await client.query('COMMIT');
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
  await trackingNumbersRepository.create(pool, {
    number: trackingNumber, kind: 'static', pool_id: null, source_name: name, utm_source: name, utm_medium: null,
    utm_campaign: null, utm_content: null, utm_term: null, routing_scheme_id: schemeId, caller_id_for_employee_id: null,
  });
  return schemeId;
}

/** Callers: half of them numbers of mirror contacts (a phone or a mobile), half numbers the mirror does not know. */
export function callers(random: () => number, contacts: number): () => string {
  return () => {
    if (random() < 0.5) return `+38063${String(Math.floor(random() * 10_000_000)).padStart(7, '0')}`;
    const g = 1 + Math.floor(random() * contacts);
    const mobile = mobileOf(g);
    return mobile && random() < 0.5 ? mobile : phoneOf(g);
  };
}
