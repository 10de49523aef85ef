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
// a bare `SELECT 1` round trip after each sequential decision as the floor. Bounded in count and time. The last
// line printed is one JSON object. Targets: decision_p99_ms < 2 and
// concurrent_decisions_per_s ≥ 2,000.
import { benchDatabase } from './database.ts';
import os from 'node:os';
import { planInboundCall, type PlanDeps } from '../../src/calls/plan.ts';
import { warmCallPath } from '../../src/calls/warm.ts';
import { loadConfig } from '../../src/config.ts';
import { lookupResponsible } from '../../src/crm/mirror-lookup.ts';
import { createPool } from '../../src/db/pool.ts';
import { roundRobinPort } from '../../src/db/repositories/round-robin.ts';
import { createLogger } from '../../src/logger.ts';
import type { ResponsibleLookup } from '../../src/routing/types.ts';
import { Directory } from '../../src/sip/directory.ts';
import { prng } from '../support/prng.ts';
import { callers, seedEmployees, seedMirror, seedRoundRobinScheme } from './seed.ts';

const CONTACTS = 100_000;
const EMPLOYEES = 50;
const TRACKING = '+380441234567';
const WARMUP = 3_000;
const SEQUENTIAL_MAX = 20_000;
const CONCURRENCY = 32;
const CONCURRENT_MAX = 60_000;
const PHASE_SECONDS = 12;

const quiet = createLogger('silent');
const random = prng(20260615);

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
const round = (x: number, digits: number): number => Number(x.toFixed(digits));
const load = () => os.loadavg().map((l) => l.toFixed(2)).join(' ');

function quantiles(samples: Float64Array, n: number): (q: number) => number {
  const sorted = samples.slice(0, n).sort();
  return (q) => sorted[Math.min(n - 1, Math.max(0, Math.ceil(q * n) - 1))] ?? 0;
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
  const database = await benchDatabase('routing', quiet);
  const url = database.url;
  const pool = createPool(url, config.databasePoolSize, quiet);
  const directory = new Directory(pool);
  try {
    console.log('seeding the directory and a 100,000-contact CRM mirror');
    const { ownerIds, receivers } = await seedEmployees(pool, EMPLOYEES, (i) =>
      i % 4 === 0
        ? [{ type: 'sip_uri', uri: `sip:employee${i}@pbx.example.com` }, { type: 'phone', phone: `+38067${String(9_000_000 + i)}` }]
        : [{ type: 'sip_uri', uri: `sip:employee${i}@pbx.example.com` }],
    );
    await seedRoundRobinScheme(pool, TRACKING);
    await seedMirror(pool, ownerIds, CONTACTS);
    // a production mirror was synced long before calls come: write the bulk load out
    // now rather than let the checkpoint that follows it run through the measurements
    await pool.query('CHECKPOINT').then(
      () => console.log('  CHECKPOINT done'),
      (err: Error) => console.log(`  CHECKPOINT not allowed (${err.message}): figures may include the bulk load being written out`),
    );

    // as ringpath starts with SIP on (src/main.ts): listening for directory changes, then warmed
    await directory.listen(url, quiet);
    const warmed = await warmCallPath(pool, directory);
    console.log(`warmed: ${warmed.connections} pool connections with statements prepared, ${warmed.schemes} scheme(s), ${warmed.trackingNumbers} tracking number(s) cached (${warmed.ms} ms)`);

    const deps: PlanDeps = { pool, sources: directory, lookupBudgetMs: config.sip.lookupBudgetMs, roundRobin: roundRobinPort(pool) };
    const nextCaller = callers(random, CONTACTS);
    const receiverSet = new Set(receivers);

    /** One inbound call's routing, in the SIP pipeline's order (resolveNumbers, then buildPlan). */
    async function decide(tally: Tally): Promise<void> {
      const caller = nextCaller();
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

    // sequential: one call at a time, each followed by a bare SELECT 1 on the same
    // pool, so the floor is sampled in the same moments as the decisions (on a
    // shared machine the noise comes and goes)
    const seqTally = newTally();
    const seqLat = new Float64Array(SEQUENTIAL_MAX);
    const s1Lat = new Float64Array(SEQUENTIAL_MAX);
    let seqN = 0;
    let seqBusy = 0;
    const seqDeadline = performance.now() + PHASE_SECONDS * 1000;
    while (seqN < SEQUENTIAL_MAX && performance.now() < seqDeadline) {
      const t0 = performance.now();
      await decide(seqTally);
      const t1 = performance.now();
      await pool.query('SELECT 1');
      s1Lat[seqN] = performance.now() - t1;
      seqLat[seqN++] = t1 - t0;
      seqBusy += t1 - t0;
    }
    const seqS = seqBusy / 1000;
    const seq = quantiles(seqLat, seqN);
    const s1 = quantiles(s1Lat, seqN);

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
    line('sequential (time in decisions only)', seqN, seqS, seq, seqTally);
    line(`concurrent (${CONCURRENCY} callers)`, conN, conS, con, conTally);
    console.log(`  round robin under concurrency: first offers per receiver min ${Math.min(...shares)} max ${Math.max(...shares)} over ${shares.length} receivers`);
    console.log(`round-robin turns saved ${fmt(saved.rows[0]!.turns)} of ${fmt(expectedTurns)} taken: ${saved.rows[0]!.turns === expectedTurns ? 'all saved' : 'MISMATCH'}`);
    console.log(`SELECT 1 on the same pool, one after each sequential decision: p50 ${s1(0.5).toFixed(3)} ms, p99 ${s1(0.99).toFixed(3)} ms (${fmt(seqN)} round trips)`);
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
    await database.close();
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
