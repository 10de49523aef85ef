// DNI benchmark: `npm run bench:dni`.
//
// ringpath's real HTTP app (test/bench/dni-server.ts: buildApp, the hold sweeper,
// the default 10 PostgreSQL connections, LOG_LEVEL=warn so that no line is logged
// per request) in a process of its own on 127.0.0.1, against
// real PostgreSQL (embedded, or a database of its own created on the server in
// DATABASE_URL and dropped after). autocannon, in this process, drives it with 64
// connections, each phase bounded in time:
//   1. allocations: POST /dni/v1/sessions as the snippet sends it (Origin, a
//      browser User-Agent, a new visitor each time with one of several landing
//      pages: UTMs, gclid, fbclid, a referrer or none), each from its own client
//      address through a trusted proxy (X-Forwarded-For), so neither the
//      per-address cap nor the per-address rate limit refuses them. The rate limit
//      is still counted on every request, with DNI_RATE_LIMIT raised so that it
//      never trips.
//      Pool: 100,000 numbers, half never used and half released at random times in
//      the last 30 days, so every allocation in the run takes a real pool number
//      (checked after the run: fallbacks are reported) and the "released longest
//      ago" index is walked as in production.
//   then, for information (no target), returning visitors: the same requests with the
//      visitor id of a session of run 1 (a read of their last session, then their
//      number back from their own live session).
//   2. heartbeats: POST /dni/v1/sessions/{id}/heartbeat on random live sessions.
//   3. baseline: GET /bench/hello on the same fastify instance (ringpath's hooks
//      included: request metrics, the same logger).
// After each phase: the CPU time per request of the server, of PostgreSQL (embedded
// only: the postmaster and its processes, ended ones included) and of autocannon,
// which shows the cost of a request apart from whatever else loads the machine.
// Tables are analyzed after the allocation warm-up (see there).
// Allocations and heartbeats are each measured twice:
//   - at the most the machine serves: 64 connections, each sending its next request
//     as soon as the last is answered. This gives the rate. Its latency is not the
//     service's but the load generator's: with 64 requests always outstanding, the
//     mean latency is 64 / rate (Little's law), whatever the code does;
//   - at the target rate (2,000 allocations/s, 5,000 heartbeats/s, offered a little
//     above so that the rate reached is at least the target), on the same 64
//     connections. This gives the p99 at that load. autocannon corrects these latencies
//     for coordinated omission (a request sent late is timed from when it was due).
// The last line printed is one JSON object. Targets: allocations ≥ 2,000/s with
// p99 < 25 ms; heartbeats ≥ 5,000/s with p99 < 25 ms. allocations_per_s and
// heartbeats_per_s are the most served; allocation_p99_ms and heartbeat_p99_ms are
// the p99 at the target rate (its rate reached is in *_rate_reached); the p99 at
// the most served is there too (*_p99_at_max_ms).
import { benchDatabase } from './database.ts';
import { spawn, type ChildProcess } from 'node:child_process';
import type { EventEmitter } from 'node:events';
import { readFileSync, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import pg from 'pg';
import { createLogger } from '../../src/logger.ts';
import { prng } from '../support/prng.ts';

const POOL_SIZE = 100_000;
const CONNECTIONS = 64;
const WARMUP_S = 3;
const RUN_S = 10;
const HELLO_S = 5;
const RETURNING_S = 5;
const SETTLE_S = 2;
const ALLOCATION_TARGET = 2_000;
const HEARTBEAT_TARGET = 5_000;
/** Offered above the target by this much, so that the rate reached is at least the target. */
const OFFER_MARGIN = 1.05;
const ORIGIN = 'https://shop.example.com';
const CHROME = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36';
const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, '../..');

const quiet = createLogger('silent');
const random = prng(20260701);
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
const load = () => os.loadavg().map((l) => l.toFixed(2)).join(' ');

const LANDINGS: ReadonlyArray<readonly [page: string, referrer: string]> = [
  ['https://shop.example.com/?utm_source=newsletter&utm_medium=email&utm_campaign=june', ''],
  ['https://shop.example.com/phones?gclid=Cj0KCQjw', 'https://www.google.com/'],
  ['https://shop.example.com/promo?fbclid=IwAR0', 'https://l.facebook.com/'],
  ['https://shop.example.com/catalog', 'https://www.google.com.ua/'],
  ['https://shop.example.com/', ''],
  ['https://shop.example.com/blog/post', 'https://partner.example.org/links'],
];

async function seed(url: string): Promise<{ key: string }> {
  const db = new pg.Client({ connectionString: url });
  await db.connect();
  try {
    const site = await db.query<{ id: number; public_key: string }>(
      `INSERT INTO sites (name, domain, public_key, fallback_number, hold_time_s, allowed_origins, max_sessions_per_ip)
       VALUES ('Bench shop', 'shop.example.com', 'pk_bench', '+380441999999', 900, $1, 20) RETURNING id, public_key`,
      [[ORIGIN]],
    );
    const siteId = site.rows[0]!.id;
    const pool = await db.query<{ id: number }>(`INSERT INTO pools (site_id, name) VALUES ($1, 'Bench pool') RETURNING id`, [siteId]);
    await db.query(
      `INSERT INTO tracking_numbers (number, kind, pool_id, released_at)
       SELECT '+38044' || (2000000 + g), 'pool', $1,
              CASE WHEN g % 2 = 0 THEN NULL ELSE now() - (hashint4(g)::bigint % 2592000 + 2592000) % 2592000 * interval '1 second' END
         FROM generate_series(0, $2::int - 1) g`,
      [pool.rows[0]!.id, POOL_SIZE],
    );
    await db.query('VACUUM ANALYZE tracking_numbers');
    return { key: site.rows[0]!.public_key };
  } finally {
    await db.end();
  }
}

async function startServer(databaseUrl: string): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(HERE, 'dni-server.ts')], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '/root',
      DATABASE_URL: databaseUrl,
      DEFAULT_COUNTRY: 'UA',
      LOG_LEVEL: 'warn',
      // counted on every request, never reached: the benchmark measures numbers, not refusals
      DNI_RATE_LIMIT: '1000000',
      TRUSTED_PROXIES: '127.0.0.1',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error('the bench server did not start within 60 s')), 60_000);
    let listening = false;
    child.stdout!.on('data', (d: Buffer) => {
      if (listening) {
        // warnings and errors of the server (LOG_LEVEL=warn): shown, never hidden
        process.stdout.write(`  server: ${d.toString()}`);
        return;
      }
      out += d.toString();
      const m = /\{"url":"([^"]+)"\}/.exec(out);
      if (m) {
        listening = true;
        clearTimeout(timer);
        resolve(m[1]!);
      }
    });
    child.once('exit', (code) => reject(new Error(`the bench server exited with ${code}: ${out}`)));
  });
  return { child, url };
}

/**
 * CPU time (ms) used so far by a process and, with `children`, by the processes it
 * started: the live ones, and the ones that ended (their time is added to the
 * parent's cutime/cstime when it reaps them, as PostgreSQL's postmaster does).
 */
function cpuMs(pid: number, children = false): number {
  const TICK_MS = 10; // USER_HZ = 100
  const stat = (p: number | string): { ppid: number; ms: number; reaped: number } | undefined => {
    try {
      const f = readFileSync(`/proc/${p}/stat`, 'utf8').split(') ')[1]!.split(' ');
      return { ppid: Number(f[1]), ms: (Number(f[11]) + Number(f[12])) * TICK_MS, reaped: (Number(f[13]) + Number(f[14])) * TICK_MS };
    } catch {
      return undefined;
    }
  };
  const own = stat(pid);
  let total = (own?.ms ?? 0) + (children ? (own?.reaped ?? 0) : 0);
  if (children) {
    for (const p of readdirSync('/proc')) {
      if (!/^\d+$/.test(p)) continue;
      const s = stat(p);
      if (s?.ppid === pid) total += s.ms;
    }
  }
  return total;
}

/** Where the CPU went in a phase: the ringpath server, PostgreSQL (embedded only), this process (autocannon). */
interface Cpu {
  server: number;
  postgres: number | undefined;
  client: number;
  /** Busy time of the whole machine (all cores), from /proc/stat. */
  machine: number;
  at: number;
}

function machineBusyMs(): number {
  const f = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
  // user nice system idle iowait irq softirq steal
  return ((f[0] ?? 0) + (f[1] ?? 0) + (f[2] ?? 0) + (f[5] ?? 0) + (f[6] ?? 0) + (f[7] ?? 0)) * 10;
}
let serverPid = 0;
let postmasterPid: number | undefined;
function cpuNow(): Cpu {
  const u = process.cpuUsage();
  return {
    server: cpuMs(serverPid),
    postgres: postmasterPid === undefined ? undefined : cpuMs(postmasterPid, true),
    client: (u.user + u.system) / 1000,
    machine: machineBusyMs(),
    at: performance.now(),
  };
}

interface Phase {
  /** Requests answered per second, over the whole phase. */
  readonly rps: number;
  readonly p50: number;
  readonly p99: number;
  readonly total: number;
  readonly non2xx: number;
  readonly errors: number;
}

async function run(title: string, opts: autocannon.Options): Promise<Phase> {
  const c0 = cpuNow();
  const seconds: number[] = [];
  const r = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon({ connections: CONNECTIONS, ...opts }, (err, result) => (err ? reject(err) : resolve(result)));
    (instance as unknown as EventEmitter).on('tick', (t: { counter: number }) => seconds.push(t.counter));
  });
  const c1 = cpuNow();
  const phase = {
    rps: r.requests.average,
    p50: r.latency.p50,
    p99: r.latency.p99,
    total: r.requests.total,
    non2xx: r.non2xx,
    errors: r.errors + r.timeouts,
  };
  console.log(
    `  ${title}: ${fmt(phase.rps)}/s (slowest second ${fmt(r.requests.min)}, fastest ${fmt(r.requests.max)}), p50 ${phase.p50} ms, p99 ${phase.p99} ms, ` +
      `${fmt(phase.total)} requests, ${phase.non2xx} not 2xx, ${phase.errors} errors/timeouts (load ${load()})`,
  );
  while (seconds.length > 0 && seconds[seconds.length - 1] === 0) seconds.pop();
  console.log(`    requests each second: ${seconds.map(fmt).join(' ')}`);
  const per = (ms: number) => (phase.total > 0 ? (ms / phase.total).toFixed(3) : '-');
  const server = c1.server - c0.server;
  const postgres = c1.postgres === undefined ? undefined : c1.postgres - c0.postgres!;
  const client = c1.client - c0.client;
  const ours = server + (postgres ?? 0) + client;
  const capacity = os.cpus().length * (c1.at - c0.at);
  const others = Math.max(0, c1.machine - c0.machine - ours);
  console.log(
    `    CPU per request: server ${per(server)} ms, PostgreSQL ${postgres === undefined ? 'n/a' : per(postgres)} ms, autocannon ${per(client)} ms; ` +
      `other processes on the machine used ${((others / capacity) * 100).toFixed(0)}% of its CPU during the phase` +
      (postgres === undefined ? '' : `; at this cost an otherwise idle ${os.cpus().length}-core machine would serve about ${fmt((phase.total / ours) * 1000 * os.cpus().length)}/s`),
  );
  return phase;
}

const ip = () => `10.${Math.floor(random() * 256)}.${Math.floor(random() * 256)}.${1 + Math.floor(random() * 254)}`;

function allocation(url: string, key: string, duration: number, visitors?: readonly string[]): autocannon.Options {
  return {
    url,
    duration,
    requests: [
      {
        method: 'POST',
        path: '/dni/v1/sessions',
        setupRequest: (req) => {
          const [page, referrer] = LANDINGS[Math.floor(random() * LANDINGS.length)]!;
          return {
            ...req,
            headers: { 'content-type': 'application/json', origin: ORIGIN, 'user-agent': CHROME, 'x-forwarded-for': ip() },
            body: JSON.stringify({
              site: key,
              page,
              referrer,
              ga: { client_id: `${Math.floor(random() * 1e9)}.${Date.now()}` },
              ...(visitors ? { visitor: visitors[Math.floor(random() * visitors.length)] } : {}),
            }),
          };
        },
      },
    ],
  };
}

async function main(): Promise<void> {
  console.log(`bench:dni — machine: ${os.cpus().length} cores, load average ${load()}`);
  const database = await benchDatabase('dni', quiet);
  const dbUrl = database.url;
  let server: ChildProcess | undefined;
  const db = new pg.Client({ connectionString: dbUrl });
  try {
    const { key } = await seed(dbUrl);
    console.log(`seeded one site with a pool of ${fmt(POOL_SIZE)} numbers (half never used, half released in the last 30 days)`);
    const started = await startServer(dbUrl);
    server = started.child;
    serverPid = server.pid!;
    if (database.embedded) postmasterPid = Number(readFileSync(path.join(database.tmp, 'postgres', 'postmaster.pid'), 'utf8').split('\n')[0]);
    const url = started.url;
    console.log(
      `ringpath HTTP app on ${url}: default DATABASE_POOL_SIZE (10), LOG_LEVEL=warn (no per-request log lines), ` +
        `DNI_RATE_LIMIT=1000000 (the per-address limit is counted on every request but never reached), ` +
        `every request from its own address via X-Forwarded-For; autocannon: ${CONNECTIONS} connections`,
    );
    await db.connect();

    console.log(`allocations (POST /dni/v1/sessions, new visitors; warm-up ${WARMUP_S} s, then ${RUN_S} s at the most served and ${RUN_S} s at the target rate):`);
    await run('warm-up', allocation(url, key, WARMUP_S));
    // a live database has statistics: autovacuum analyzes a table within its first minute of
    // traffic; this one is seconds old, so analyze it now rather than measure cold-start plans
    await db.query('ANALYZE visitor_sessions, tracking_numbers, dni_events');
    console.log('  (tables analyzed after the warm-up, as autovacuum does on a live database)');
    // the statements are planned anew after the analyze: let that happen outside the measurement too
    await run('settle', allocation(url, key, SETTLE_S));
    const before = (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM visitor_sessions')).rows[0]!.n;
    const alloc = await run('allocations, most served', allocation(url, key, RUN_S));
    const allocOffered = Math.round(ALLOCATION_TARGET * OFFER_MARGIN);
    const allocAtTarget = await run(`allocations, ${fmt(allocOffered)}/s offered`, { ...allocation(url, key, RUN_S), overallRate: allocOffered });
    await new Promise((r) => setTimeout(r, 1000));
    const kinds = await db.query<{ kind: string; n: number }>(
      'SELECT kind::text, count(*)::int AS n FROM (SELECT kind FROM visitor_sessions ORDER BY id OFFSET $1) s GROUP BY kind ORDER BY kind',
      [before],
    );
    const check = await db.query<{ held: number; double: number; live: number }>(
      `SELECT (SELECT count(*)::int FROM tracking_numbers WHERE held_by_session_id IS NOT NULL) AS held,
              (SELECT count(*)::int FROM (SELECT tracking_number_id FROM visitor_sessions
                 WHERE kind = 'pool' AND released_at IS NULL AND held_until > now()
                 GROUP BY tracking_number_id HAVING count(*) > 1) d) AS double,
              (SELECT count(*)::int FROM visitor_sessions WHERE kind = 'pool' AND released_at IS NULL AND held_until > now()) AS live`,
    );
    const c = check.rows[0]!;
    console.log(
      `  sessions in the two measured runs by kind: ${kinds.rows.map((k) => `${k.kind} ${fmt(k.n)}`).join(', ')}; ` +
        `${fmt(c.held)} numbers held by ${fmt(c.live)} live pool sessions, ${c.double} numbers held by two live sessions`,
    );

    const visitors = (await db.query<{ visitor_key: string }>(`SELECT visitor_key FROM visitor_sessions WHERE kind = 'pool' ORDER BY id DESC LIMIT 20000`)).rows.map(
      (r) => r.visitor_key,
    );
    console.log(
      `returning visitors (POST /dni/v1/sessions with the visitor id of a session above, ${RETURNING_S} s; not a target: ` +
        'each first reads the visitor’s last session, then gets their number back from their own live session):',
    );
    await run('returning', allocation(url, key, RETURNING_S, visitors));

    // requests still in flight when a run ends finish on the server after it: let them land
    // before choosing live sessions, or a late hold transfer would turn a chosen one into a 404
    await new Promise((r) => setTimeout(r, 1000));
    const sessions = (await db.query<{ public_id: string }>('SELECT public_id FROM visitor_sessions WHERE released_at IS NULL')).rows.map((r) => r.public_id);
    console.log(`heartbeats (POST /dni/v1/sessions/{id}/heartbeat on random ones of ${fmt(sessions.length)} live sessions, ${RUN_S} s):`);
    const heartbeats: autocannon.Options = {
      url,
      duration: RUN_S,
      requests: [
        {
          method: 'POST',
          setupRequest: (req) => ({
            ...req,
            path: `/dni/v1/sessions/${sessions[Math.floor(random() * sessions.length)]}/heartbeat`,
            headers: { origin: ORIGIN, 'user-agent': CHROME, 'x-forwarded-for': ip() },
          }),
        },
      ],
    };
    const hb = await run('heartbeats, most served', heartbeats);
    const hbOffered = Math.round(HEARTBEAT_TARGET * OFFER_MARGIN);
    const hbAtTarget = await run(`heartbeats, ${fmt(hbOffered)}/s offered`, { ...heartbeats, overallRate: hbOffered });

    console.log(`baseline (GET /bench/hello on the same fastify instance, ${HELLO_S} s):`);
    const hello = await run('hello', { url: `${url}/bench/hello`, duration: HELLO_S });

    const ok =
      alloc.rps >= ALLOCATION_TARGET &&
      allocAtTarget.rps >= ALLOCATION_TARGET &&
      allocAtTarget.p99 < 25 &&
      hb.rps >= HEARTBEAT_TARGET &&
      hbAtTarget.rps >= HEARTBEAT_TARGET &&
      hbAtTarget.p99 < 25;
    console.log(
      `allocations: most served ${fmt(alloc.rps)}/s; at ${fmt(allocAtTarget.rps)}/s the p99 is ${allocAtTarget.p99} ms (${alloc.p99} ms at the most served, ` +
        `where 64 outstanding requests alone make the mean ${(64_000 / alloc.rps).toFixed(1)} ms)`,
    );
    console.log(
      `heartbeats: most served ${fmt(hb.rps)}/s; at ${fmt(hbAtTarget.rps)}/s the p99 is ${hbAtTarget.p99} ms (${hb.p99} ms at the most served, ` +
        `where the mean is ${(64_000 / hb.rps).toFixed(1)} ms)`,
    );
    console.log(
      `targets (allocations ≥ 2,000/s with p99 < 25 ms; heartbeats ≥ 5,000/s with p99 < 25 ms): ${ok ? 'met' : 'NOT met'}` +
        ([alloc, allocAtTarget, hb, hbAtTarget].some((p) => p.non2xx + p.errors > 0) ? ' — some requests failed, see above' : ''),
    );
    console.log(
      JSON.stringify({
        allocations_per_s: Math.round(alloc.rps),
        allocation_p99_ms: allocAtTarget.p99,
        heartbeats_per_s: Math.round(hb.rps),
        heartbeat_p99_ms: hbAtTarget.p99,
        hello_rps: Math.round(hello.rps),
        allocation_rate_reached: Math.round(allocAtTarget.rps),
        allocation_p99_at_max_ms: alloc.p99,
        heartbeat_rate_reached: Math.round(hbAtTarget.rps),
        heartbeat_p99_at_max_ms: hb.p99,
      }),
    );
  } finally {
    await db.end().catch(() => undefined);
    if (server && server.exitCode === null) {
      const exited = new Promise((r) => server!.once('exit', r));
      server.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
      if (server.exitCode === null) server.kill('SIGKILL');
    }
    await database.close();
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error('bench:dni failed:', err);
    process.exit(1);
  },
);
