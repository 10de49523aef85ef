// npm run bench:sip — calls per second and post-dial delay of ringpath's full
// pipeline, side by side with a bare createB2BUA app in the same run. Needs
// drachtio-server (DRACHTIO_BIN) and sipp. Bounded: several minutes at most.
//
// Three apps are probed at rising rates until each fails (a failed call, or
// callers waiting over BENCH_SATURATED_PDD_MS for ringback), then the highest
// passing rate is sustained:
// - the bare createB2BUA app (the floor drachtio-server and Node set);
// - ringpath, one caller, a scheme of one employee (its pipeline, warm caches);
// - ringpath "round robin": responsible manager → round robin → senior manager,
//   callers drawn from a 100,000-contact mirror (half of them known, half new;
//   seeded), so lookups and plans are not always the same warm ones.
// The rates come from BENCH_RATES, then keep rising by a quarter up to
// BENCH_MAX_RATE; an app that never failed is reported as such (its figure is a
// lower bound, not a limit).
import { benchDatabase } from './database.ts';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import Srf from 'drachtio-srf';
import pg from 'pg';
import { loadConfig } from '../../src/config.ts';
import { createLogger } from '../../src/logger.ts';
import { startRingpath } from '../../src/main.ts';
import { freePort } from '../../src/util/net.ts';
import { prng } from '../support/prng.ts';
import { SCENARIOS } from '../support/sip.ts';
import { callers, seedEmployees, seedMirror, seedRoundRobinScheme } from './seed.ts';

const BIN = process.env.DRACHTIO_BIN;
const PROBE_S = Number(process.env.BENCH_PROBE_S ?? 5);
const SUSTAIN_S = Number(process.env.BENCH_SUSTAIN_S ?? 30);
const PDD_RATE = Number(process.env.BENCH_PDD_RATE ?? 50);
const RATES = (process.env.BENCH_RATES ?? '50,100,150,200,300,400,500,600,800,1000,1200').split(',').map(Number);
/** After BENCH_RATES, probing goes on by a quarter at a time up to this rate, so a limit is found if there is one. */
const MAX_RATE = Number(process.env.BENCH_MAX_RATE ?? 3000);
const TRACKING = '+380441234567';
const TRACKING_RR = '+380441234568';
const CONTACTS = 100_000;
const EMPLOYEES = 50;
/** Lines in the callers file; sipp reads one per call, going round when the run has more calls. */
const CALLER_LINES = 50_000;
/** A rate whose callers wait longer than this for ringback is saturated, even with no failed call. */
const SATURATED_PDD_MS = Number(process.env.BENCH_SATURATED_PDD_MS ?? 1000);
const drain = () => new Promise((r) => setTimeout(r, 3000));
/** Long-lived children (drachtio-servers, answering sipps), killed on any exit, a crash included. */
const children = new Set<ChildProcess>();
process.on('exit', () => children.forEach((c) => c.kill('SIGKILL')));
const quiet = createLogger('silent');

interface Load {
  rate: number;
  seconds: number;
  calls: number;
  failed: number;
  pdd: number[];
}

function pct(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

async function drachtio(): Promise<{ adminPort: number; sipPort: number; stop: () => void }> {
  const adminPort = await freePort();
  const sipPort = await freePort();
  const child = spawn(BIN!, ['-f', 'sip/drachtio.conf.xml', '--address', '127.0.0.1', '--port', String(adminPort), '--secret', 'cymru',
    '--contact', `sip:127.0.0.1:${sipPort};transport=udp`, '--loglevel', 'error', '--sofia-loglevel', '0'], { stdio: 'ignore' });
  children.add(child);
  await new Promise((r) => setTimeout(r, 1500));
  return { adminPort, sipPort, stop: () => void child.kill('SIGTERM') };
}

function uas(port: number): () => void {
  const child = spawn('sipp', ['-sf', path.join(SCENARIOS, 'uas-answer-now.xml'), '-i', '127.0.0.1', '-p', String(port),
    '-mp', String(port + 1), '-nostdin', '-max_socket', '5000', '-timeout', '3600s'], { stdio: 'ignore' });
  children.add(child);
  return () => void child.kill('SIGTERM');
}

/** Who calls: always the same caller on the plain tracking number, or callers from a file on the round-robin one. */
interface Target {
  readonly sipPort: number;
  readonly service: string;
  /** A sipp injection file (-inf): one caller per line, field0. */
  readonly callersFile?: string;
}

/** `seconds` of calls at `rate` calls/s; each call is answered at once and held 100 ms. */
async function load(target: Target, rate: number, seconds: number): Promise<Load> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'ringpath-bench-'));
  try {
    const calls = Math.round(rate * seconds);
    const port = await freePort();
    const mediaPort = await freePort();
    const who = target.callersFile
      ? ['-sf', path.join(SCENARIOS, 'uac-bench-callers-expect-200.xml'), '-inf', target.callersFile]
      : ['-sf', path.join(SCENARIOS, 'uac-bench-expect-200.xml'), '-key', 'caller', '+380501234567'];
    const code = await new Promise<number | null>((resolve) => {
      const child = spawn('sipp', [`127.0.0.1:${target.sipPort}`, ...who, '-s', target.service,
        '-i', '127.0.0.1', '-p', String(port), '-mp', String(mediaPort), '-r', String(rate),
        '-m', String(calls), '-d', '100', '-l', String(rate * 5), '-nostdin', '-trace_rtt', '-rtt_freq', '1', '-trace_stat',
        '-fd', '1', '-timeout', `${seconds + 30}s`, '-recv_timeout', '10000', '-max_socket', '5000'], { cwd: dir, stdio: 'ignore' });
      child.on('exit', resolve);
    });
    const files = await readdir(dir);
    const rtt = files.find((f) => f.endsWith('_rtt.csv'));
    const stat = files.find((f) => f.endsWith('_.csv') || (f.endsWith('.csv') && !f.endsWith('_rtt.csv')));
    const pdd = rtt
      ? (await readFile(path.join(dir, rtt), 'utf8')).split('\n').slice(1).flatMap((l) => {
          const v = Number(l.split(';')[1]);
          return Number.isFinite(v) && l.trim() ? [v] : [];
        })
      : [];
    let failed = code === 0 ? 0 : calls;
    if (stat) {
      const lines = (await readFile(path.join(dir, stat), 'utf8')).trim().split('\n');
      const head = lines[0]!.split(';');
      const last = lines[lines.length - 1]!.split(';');
      const idx = head.indexOf('FailedCall(C)');
      if (idx >= 0) failed = Number(last[idx]);
    }
    // Without round-trip times there is no post-dial delay, and the saturation
    // check (pdd p99 over the threshold) would silently never fire: stop the run.
    if (calls - failed > 0 && pdd.length === 0) {
      throw new Error(
        `sipp wrote ${rtt ? `an empty round-trip file (${rtt})` : 'no round-trip file (*_rtt.csv)'} for ${calls - failed} answered calls ` +
          `at ${rate} cps: post-dial delay and the saturation check cannot be measured, so this run has no result (is this sipp built with -trace_rtt support?)`,
      );
    }
    return { rate, seconds, calls, failed, pdd: pdd.sort((a, b) => a - b) };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** The rates to probe: BENCH_RATES, then a quarter more each time up to BENCH_MAX_RATE. */
function* probeRates(): Generator<number> {
  let last = 0;
  for (const rate of RATES) {
    yield rate;
    last = rate;
  }
  for (let rate = Math.ceil((last * 1.25) / 50) * 50; rate <= MAX_RATE; rate = Math.ceil((rate * 1.25) / 50) * 50) yield rate;
}

interface Limit {
  /** The highest rate sustained with no failed call. */
  readonly cps: number;
  /** Whether some probe failed: false means the app never failed up to `topProbed`, and `cps` is a lower bound. */
  readonly limitFound: boolean;
  readonly topProbed: number;
}

async function highestRate(name: string, target: Target): Promise<Limit> {
  let best = 0;
  let limitFound = false;
  let topProbed = 0;
  for (const rate of probeRates()) {
    const r = await load(target, rate, PROBE_S);
    topProbed = rate;
    const saturated = pct(r.pdd, 99) > SATURATED_PDD_MS;
    console.log(`${name}: probe ${rate} cps for ${PROBE_S} s: ${r.calls - r.failed}/${r.calls} calls ok, pdd p99 ${pct(r.pdd, 99).toFixed(1)} ms${saturated ? ' (saturated)' : ''}`);
    await drain();
    if (r.failed > 0 || saturated) {
      limitFound = true;
      break;
    }
    best = rate;
  }
  if (!limitFound) console.log(`${name}: no probe failed up to ${topProbed} cps (BENCH_MAX_RATE ${MAX_RATE}): its figure is a lower bound, not a limit`);
  while (best > 0) {
    const r = await load(target, best, SUSTAIN_S);
    await drain();
    console.log(`${name}: sustain ${best} cps for ${SUSTAIN_S} s: ${r.calls - r.failed}/${r.calls} calls ok`);
    if (r.failed === 0) return { cps: best, limitFound, topProbed };
    limitFound = true;
    best = Math.floor(best * 0.8);
  }
  return { cps: 0, limitFound, topProbed };
}

async function main(): Promise<void> {
  if (!BIN) {
    console.error('bench:sip needs drachtio-server: set DRACHTIO_BIN to its binary (see README, "SIP end-to-end tests")');
    process.exit(2);
  }
  const database = await benchDatabase('sip', quiet);
  const { url, tmp } = database;

  const full = await drachtio();
  const bare = await drachtio();
  const uasFull = await freePort();
  const uasBare = await freePort();
  const stopUas = [uas(uasFull), uas(uasBare)];

  const db = new pg.Pool({ connectionString: url });
  const { rows } = await db.query<{ id: number }>(`INSERT INTO employees (email, full_name) VALUES ('a@example.com', 'Alice') RETURNING id`);
  const alice = rows[0]!.id;
  await db.query(`INSERT INTO employee_destinations (employee_id, role, position, type, sip_uri) VALUES ($1, 'main', 0, 'sip_uri', $2)`, [alice, `sip:alice@127.0.0.1:${uasFull}`]);
  const scheme = (await db.query<{ id: number }>(`INSERT INTO routing_schemes (name) VALUES ('bench') RETURNING id`)).rows[0]!.id;
  await db.query(`INSERT INTO routing_steps (scheme_id, position, type, ring_timeout_s, lookup_order) VALUES ($1, 0, 'responsible_manager', 20, ARRAY['contact_owner','deal_owner'])`, [scheme]);
  const step = (await db.query<{ id: number }>(`INSERT INTO routing_steps (scheme_id, position, type, ring_timeout_s, ring_strategy) VALUES ($1, 1, 'employees', 20, 'simultaneous') RETURNING id`, [scheme])).rows[0]!.id;
  await db.query('INSERT INTO routing_step_employees (step_id, employee_id, position) VALUES ($1, $2, 0)', [step, alice]);
  await db.query(`INSERT INTO tracking_numbers (number, kind, source_name, routing_scheme_id) VALUES ($1, 'static', 'bench', $2)`, [TRACKING, scheme]);
  // the round-robin variant: employees ringing the answering sipp, its scheme, a seeded mirror, callers drawn from it
  console.log(`seeding the round-robin variant: ${EMPLOYEES} employees and a ${CONTACTS.toLocaleString('en-US')}-contact mirror`);
  const { ownerIds } = await seedEmployees(db, EMPLOYEES, (i) => [{ type: 'sip_uri', uri: `sip:employee${i}@127.0.0.1:${uasFull}` }]);
  await seedRoundRobinScheme(db, TRACKING_RR, 'bench round robin');
  await seedMirror(db, ownerIds, CONTACTS, (line) => console.log(line));
  await db.end();
  const nextCaller = callers(prng(20260615), CONTACTS);
  const callersFile = path.join(tmp, 'callers.csv');
  await writeFile(callersFile, ['SEQUENTIAL', ...Array.from({ length: CALLER_LINES }, () => `${nextCaller()};`), ''].join('\n'));

  const ringpath = await startRingpath(
    loadConfig({ DATABASE_URL: url, PORT: String(await freePort()), DRACHTIO_HOST: '127.0.0.1', DRACHTIO_PORT: String(full.adminPort),
      TRUNK_ALLOWLIST: '127.0.0.1', ADMIN_PASSWORD: 'a-long-admin-password', DEFAULT_COUNTRY: 'UA', LOG_LEVEL: 'silent' }),
    quiet,
  );
  const srf = new Srf();
  srf.connect({ host: '127.0.0.1', port: bare.adminPort, secret: 'cymru' });
  srf.invite((req, res) => {
    srf.createB2BUA(req, res, `sip:bench@127.0.0.1:${uasBare}`, { localSdpB: req.body }).then(
      ({ uas, uac }) => {
        uas.on('destroy', () => uac.destroy());
        uac.on('destroy', () => uas.destroy());
      },
      () => undefined,
    );
  });
  await new Promise((r) => setTimeout(r, 1500));

  try {
    const bareTarget: Target = { sipPort: bare.sipPort, service: TRACKING };
    const fullTarget: Target = { sipPort: full.sipPort, service: TRACKING };
    const rrTarget: Target = { sipPort: full.sipPort, service: TRACKING_RR, callersFile };
    console.log(`post-dial delay at ${PDD_RATE} cps for ${SUSTAIN_S} s (INVITE to first 180/200 at the caller)`);
    const pddBare = await load(bareTarget, PDD_RATE, SUSTAIN_S);
    const pddFull = await load(fullTarget, PDD_RATE, SUSTAIN_S);
    const pddRr = await load(rrTarget, PDD_RATE, SUSTAIN_S);
    for (const [n, r] of [['bare createB2BUA', pddBare], ['ringpath', pddFull], ['ringpath round robin', pddRr]] as const) {
      console.log(`${n}: ${r.calls - r.failed}/${r.calls} ok, pdd p50 ${pct(r.pdd, 50).toFixed(2)} ms, p99 ${pct(r.pdd, 99).toFixed(2)} ms`);
    }
    const bareCps = await highestRate('bare createB2BUA', bareTarget);
    const fullCps = await highestRate('ringpath', fullTarget);
    const rrCps = await highestRate('ringpath round robin', rrTarget);
    const limit = (l: Limit) => (l.limitFound ? l.cps : null);
    const result = {
      cps: limit(fullCps),
      ...(fullCps.limitFound ? {} : { cps_at_least: fullCps.cps }),
      failed: pddFull.failed,
      pdd_p50_ms: Number(pct(pddFull.pdd, 50).toFixed(2)),
      pdd_p99_ms: Number(pct(pddFull.pdd, 99).toFixed(2)),
      rr_cps: limit(rrCps),
      ...(rrCps.limitFound ? {} : { rr_cps_at_least: rrCps.cps }),
      rr_failed: pddRr.failed,
      rr_pdd_p50_ms: Number(pct(pddRr.pdd, 50).toFixed(2)),
      rr_pdd_p99_ms: Number(pct(pddRr.pdd, 99).toFixed(2)),
      // null when the bare app never failed: then bare_cps_at_least says how far it was pushed
      bare_cps: limit(bareCps),
      ...(bareCps.limitFound ? {} : { bare_cps_at_least: bareCps.cps }),
      bare_pdd_p99_ms: Number(pct(pddBare.pdd, 99).toFixed(2)),
    };
    console.log(JSON.stringify(result));
  } finally {
    srf.disconnect();
    await ringpath.close();
    stopUas.forEach((s) => s());
    full.stop();
    bare.stop();
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
