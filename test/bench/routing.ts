// Routing decision benchmark: `npm run bench:routing`.
//
// The production path of an inbound call's routing, against real PostgreSQL:
// the SIP pipeline's order (src/sip/invite.ts): the CRM-mirror lookup started as
// soon as the caller is known (lookupResponsible within LOOKUP_BUDGET_MS), the
// tracking number from the cached Directory, then planInboundCall with the same
// sources (the Directory), the same lookup and the PostgreSQL round-robin port,
// in 'advance' mode, so every decision takes and saves its round-robin turn.
//
// Data: a 100,000-contact CRM mirror (one to three phone properties per contact,
// some numbers shared by two contacts, open and closed deals, a few owners no
// employee carries), 50 employees, a scheme stored through the repositories:
// responsible manager → round-robin new-client distribution → senior manager.
// Callers: 50% numbers of mirror contacts, 50% numbers the mirror does not know
// (seeded PRNG). PostgreSQL: embedded (as ringpath runs it by default), or the
// server in DATABASE_URL (a database of its own is created and dropped).
//
// Measured: sequential decisions; 32 concurrent callers; and, on the same pool,
// a bare `SELECT 1` round trip as the floor. Bounded in count and time. The last
// line printed is one JSON object. Targets: decision_p99_ms < 2 and
// concurrent_decisions_per_s ≥ 2,000.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { planInboundCall, type PlanDeps } from '../../src/calls/plan.ts';
import { warmCallPath } from '../../src/calls/warm.ts';
import { loadConfig } from '../../src/config.ts';
import { lookupResponsible } from '../../src/crm/mirror-lookup.ts';
import { startEmbeddedPostgres, type EmbeddedDatabase } from '../../src/db/embedded.ts';
import { migrate } from '../../src/db/migrate.ts';
import { createPool } from '../../src/db/pool.ts';
import { employeesRepository } from '../../src/db/repositories/employees.ts';
import { roundRobinPort } from '../../src/db/repositories/round-robin.ts';
import { routingSchemesRepository } from '../../src/db/repositories/routing-schemes.ts';
import { trackingNumbersRepository } from '../../src/db/repositories/tracking-numbers.ts';
import { createLogger } from '../../src/logger.ts';
import type { ResponsibleLookup } from '../../src/routing/types.ts';
import { Directory } from '../../src/sip/directory.ts';
import { picker, prng } from '../support/prng.ts';

const CONTACTS = 100_000;
const EMPLOYEES = 50;
const TRACKING = '+380441234567';
const SEED_CHUNK = 25_000;
const WARMUP = 1_000;
const SEQUENTIAL_MAX = 20_000;
const CONCURRENCY = 32;
const CONCURRENT_MAX = 60_000;
const PHASE_SECONDS = 12;
const SELECT1_COUNT = 5_000;

const quiet = createLogger('silent');
const random = prng(20260615);
const pick = picker(random);

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
const round = (x: number, digits: number): number => Number(x.toFixed(digits));
const load = () => os.loadavg().map((l) => l.toFixed(2)).join(' ');

function quantiles(samples: Float64Array, n: number): (q: number) => number {
  const sorted = samples.slice(0, n).sort();
  return (q) => sorted[Math.min(n - 1, Math.max(0, Math.ceil(q * n) - 1))] ?? 0;
}

/** The numbers a seeded contact has: its `phone`, and its mobile for 3 contacts in 5 (WhatsApp on the mobile for 1 in 5). */
const phoneOf = (g: number) => `+38050${String(g).padStart(7, '0')}`;
const mobileOf = (g: number) => (g % 5 < 3 ? `+38067${String(g).padStart(7, '0')}` : undefined);

async function seedMirror(pool: pg.Pool, ownerIds: readonly string[]): Promise<void> {
  // some records carry an owner no employee is mapped to: 2% of contacts, 1 deal in 51
  const owners = [...ownerIds, 'owner-unmapped'];
  const t0 = performance.now();
  for (let from = 1; from <= CONTACTS; from += SEED_CHUNK) {
    const to = Math.min(CONTACTS, from + SEED_CHUNK - 1);
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
    console.log(`  seeded contacts ${fmt(from)}–${fmt(to)} of ${fmt(CONTACTS)} (${((performance.now() - t0) / 1000).toFixed(1)} s)`);
  }
  const counts = await pool.query<{ contacts: number; phones: number; deals: number; open: number }>(
    `SELECT (SELECT count(*) FROM crm_contacts)::int AS contacts, (SELECT count(*) FROM crm_contact_phones)::int AS phones,
            (SELECT count(*) FROM crm_deals)::int AS deals, (SELECT count(*) FROM crm_deals WHERE is_open)::int AS open`,
  );
  const c = counts.rows[0]!;
  console.log(`  mirror: ${fmt(c.contacts)} contacts, ${fmt(c.phones)} phone values, ${fmt(c.deals)} deals (${fmt(c.open)} open)`);
  // what autovacuum does to freshly synced tables: statistics for the planner, the visibility map for index-only scans
  await pool.query('VACUUM ANALYZE crm_contacts, crm_contact_phones, crm_deals, crm_deal_contacts');
  console.log(`  VACUUM ANALYZE of the mirror tables done (${((performance.now() - t0) / 1000).toFixed(1)} s)`);
}

/** Employees, destinations, the scheme and the tracking number, through the repositories as the API stores them. */
async function seedDirectory(pool: pg.Pool): Promise<{ ownerIds: string[]; receivers: number[] }> {
  const ownerIds: string[] = [];
  const receivers: number[] = [];
  for (let i = 0; i < EMPLOYEES; i++) {
    const ownerId = `${70_000_000 + i}`;
    const row = await employeesRepository.create(pool, {
      email: `employee${i}@example.com`,
      full_name: `Employee ${i}`,
      access_level: 'employee',
      sales_role: i < 2 ? 'quality_control' : i < 5 ? 'head' : 'sales_rep',
      extension: String(100 + i),
      hubspot_owner_id: ownerId,
      receives_new_clients: i >= 2 && i % 3 === 0,
      is_senior_manager: i === 4,
    });
    await employeesRepository.replaceDestinations(pool, row.id, {
      main: i % 4 === 0
        ? [{ type: 'sip_uri', uri: `sip:employee${i}@pbx.example.com` }, { type: 'phone', phone: `+38067${String(9_000_000 + i)}` }]
        : [{ type: 'sip_uri', uri: `sip:employee${i}@pbx.example.com` }],
    });
    ownerIds.push(ownerId);
    if (i >= 2 && i % 3 === 0) receivers.push(row.id);
  }
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const schemeId = await routingSchemesRepository.create(client, {
      name: 'bench',
      steps: [
        { type: 'responsible_manager', ring_timeout_s: 20, lookup_order: ['deal_owner', 'contact_owner'] },
        { type: 'new_client_distribution', ring_timeout_s: 25, mode: 'round_robin' },
        { type: 'senior_manager', ring_timeout_s: 30 },
      ],
    });
    await client.query('COMMIT');
    await trackingNumbersRepository.create(pool, {
      number: TRACKING, kind: 'static', pool_id: null, source_name: 'bench', utm_source: 'bench', utm_medium: null,
      utm_campaign: null, utm_content: null, utm_term: null, routing_scheme_id: schemeId, caller_id_for_employee_id: null,
    });
  } finally {
    client.release();
  }
  return { ownerIds, receivers };
}

interface Tally {
  lookups: Record<ResponsibleLookup['status'] | 'none', number>;
  turns: number;
  unsaved: number;
  firstReceiver: Map<number, number>;
}

const newTally = (): Tally => ({ lookups: { found: 0, not_found: 0, failed: 0, timeout: 0, none: 0 }, turns: 0, unsaved: 0, firstReceiver: new Map() });

async function main(): Promise<void> {
  console.log(`bench:routing — machine: ${os.cpus().length} cores, load average ${load()}`);
  const config = loadConfig({ DEFAULT_COUNTRY: 'UA', LOG_LEVEL: 'silent' });
  let embedded: EmbeddedDatabase | undefined;
  let adminUrl = process.env.DATABASE_URL;
  const tmp = await mkdtemp(path.join(os.tmpdir(), 'ringpath-bench-routing-'));
  if (!adminUrl) {
    embedded = await startEmbeddedPostgres({ dataDir: tmp, port: 0, logger: quiet, persistent: false });
    adminUrl = embedded.url;
    console.log(`PostgreSQL: embedded on port ${embedded.port}`);
  } else {
    console.log('PostgreSQL: DATABASE_URL');
  }
  const dbName = `bench_routing_${process.pid}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${dbName}`);
  const u = new URL(adminUrl);
  u.pathname = `/${dbName}`;
  const url = u.toString();
  const pool = createPool(url, config.databasePoolSize, quiet);
  const directory = new Directory(pool);
  try {
    await migrate(url, quiet);
    console.log('seeding the directory and a 100,000-contact CRM mirror');
    const { ownerIds, receivers } = await seedDirectory(pool);
    await seedMirror(pool, ownerIds);

    // as ringpath starts with SIP on (src/main.ts): listening for directory changes, then warmed
    await directory.listen(url, quiet);
    const warmed = await warmCallPath(pool, directory);
    console.log(`warmed: ${warmed.connections} pool connections with statements prepared, ${warmed.schemes} scheme(s), ${warmed.trackingNumbers} tracking number(s) cached (${warmed.ms} ms)`);

    const deps: PlanDeps = { pool, sources: directory, lookupBudgetMs: config.sip.lookupBudgetMs, roundRobin: roundRobinPort(pool) };
    const newCaller = () => `+38063${String(Math.floor(random() * 10_000_000)).padStart(7, '0')}`;
    const knownCaller = () => {
      const g = 1 + Math.floor(random() * CONTACTS);
      const mobile = mobileOf(g);
      return mobile && random() < 0.5 ? mobile : phoneOf(g);
    };
    const receiverSet = new Set(receivers);

    /** One inbound call's routing, in the SIP pipeline's order (resolveNumbers, then buildPlan). */
    async function decide(tally: Tally): Promise<void> {
      const caller = random() < 0.5 ? knownCaller() : newCaller();
      const startedAt = new Date();
      const lookupUnderWay = lookupResponsible(pool, caller, config.sip.lookupBudgetMs);
      const trackingNumber = await directory.trackingNumber(TRACKING);
      if (!trackingNumber) throw new Error(`${TRACKING} is not a tracking number`);
      const planned = await planInboundCall(deps, { trackingNumber, caller, at: startedAt, lookupUnderWay }, 'advance');
      tally.lookups[planned.lookup?.status ?? 'none']++;
      tally.turns += planned.plan.roundRobin.length;
      if (!planned.rotationSaved) tally.unsaved++;
      const first = planned.plan.attempts.find((a) => a.stepType === 'new_client_distribution')?.targets[0]?.employeeId;
      if (first != null && receiverSet.has(first)) tally.firstReceiver.set(first, (tally.firstReceiver.get(first) ?? 0) + 1);
    }

    const warmTally = newTally();
    for (let i = 0; i < WARMUP; i++) await decide(warmTally);
    console.log(`warm-up: ${fmt(WARMUP)} decisions`);

    // sequential: one call at a time
    const seqTally = newTally();
    const seqLat = new Float64Array(SEQUENTIAL_MAX);
    let seqN = 0;
    const seqDeadline = performance.now() + PHASE_SECONDS * 1000;
    const seqStart = performance.now();
    while (seqN < SEQUENTIAL_MAX && performance.now() < seqDeadline) {
      const t0 = performance.now();
      await decide(seqTally);
      seqLat[seqN++] = performance.now() - t0;
    }
    const seqS = (performance.now() - seqStart) / 1000;
    const seq = quantiles(seqLat, seqN);

    // concurrent: 32 callers, each placing its next call as soon as the last is routed
    const conTally = newTally();
    const conLat = new Float64Array(CONCURRENT_MAX);
    let conN = 0;
    let started = 0;
    const conDeadline = performance.now() + PHASE_SECONDS * 1000;
    const conStart = performance.now();
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (started < CONCURRENT_MAX && performance.now() < conDeadline) {
          started++;
          const t0 = performance.now();
          await decide(conTally);
          conLat[conN++] = performance.now() - t0;
        }
      }),
    );
    const conS = (performance.now() - conStart) / 1000;
    const con = quantiles(conLat, conN);

    // the floor: a bare round trip on the same pool
    const s1Lat = new Float64Array(SELECT1_COUNT);
    for (let i = 0; i < SELECT1_COUNT; i++) {
      const t0 = performance.now();
      await pool.query('SELECT 1');
      s1Lat[i] = performance.now() - t0;
    }
    const s1 = quantiles(s1Lat, SELECT1_COUNT);

    const saved = await pool.query<{ turns: number }>('SELECT coalesce(sum(turns), 0)::int AS turns FROM round_robin_state');
    const expectedTurns = warmTally.turns + seqTally.turns + conTally.turns;
    const shares = [...conTally.firstReceiver.values()];

    const line = (name: string, n: number, s: number, q: (q: number) => number, tally: Tally) => {
      console.log(`${name}: ${fmt(n)} decisions in ${s.toFixed(2)} s = ${fmt(n / s)} decisions/s`);
      console.log(`  latency ms: p50 ${q(0.5).toFixed(3)}  p90 ${q(0.9).toFixed(3)}  p99 ${q(0.99).toFixed(3)}  p99.9 ${q(0.999).toFixed(3)}  max ${q(1).toFixed(3)}`);
      const l = tally.lookups;
      console.log(`  mirror lookups: ${fmt(l.found)} found, ${fmt(l.not_found)} not found, ${fmt(l.timeout)} timed out, ${fmt(l.failed)} failed; turns not saved: ${tally.unsaved}`);
    };
    console.log(`context: ${fmt(CONTACTS)} mirror contacts, ${EMPLOYEES} employees (${receivers.length} receive new clients), scheme responsible manager → round robin → senior manager, pool of ${config.databasePoolSize}, lookup budget ${config.sip.lookupBudgetMs} ms`);
    line('sequential', seqN, seqS, seq, seqTally);
    line(`concurrent (${CONCURRENCY} callers)`, conN, conS, con, conTally);
    console.log(`  round robin under concurrency: first offers per receiver min ${Math.min(...shares)} max ${Math.max(...shares)} over ${shares.length} receivers`);
    console.log(`round-robin turns saved ${fmt(saved.rows[0]!.turns)} of ${fmt(expectedTurns)} taken: ${saved.rows[0]!.turns === expectedTurns ? 'all saved' : 'MISMATCH'}`);
    console.log(`SELECT 1 on the same pool: p50 ${s1(0.5).toFixed(3)} ms, p99 ${s1(0.99).toFixed(3)} ms (${fmt(SELECT1_COUNT)} round trips)`);
    const p99 = seq(0.99);
    const cps = conN / conS;
    console.log(`targets: decision p99 < 2 ms ${p99 < 2 ? 'met' : 'NOT met'}; concurrent ≥ 2,000/s ${cps >= 2000 ? 'met' : 'NOT met'} (load average now ${load()})`);
    console.log(
      JSON.stringify({
        mirror: 'postgres',
        contacts: CONTACTS,
        decisions_per_s: Math.round(seqN / seqS),
        decision_p50_ms: round(seq(0.5), 3),
        decision_p99_ms: round(p99, 3),
        concurrent_decisions_per_s: Math.round(cps),
        concurrent_p99_ms: round(con(0.99), 3),
        select1_p99_ms: round(s1(0.99), 3),
      }),
    );
  } finally {
    await directory.close();
    await pool.end();
    await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`).catch(() => undefined);
    await admin.end();
    await embedded?.stop();
    await rm(tmp, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
