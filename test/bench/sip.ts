// npm run bench:sip — calls per second and post-dial delay of ringpath's full
// pipeline, side by side with a bare createB2BUA app in the same run. Needs
// drachtio-server (DRACHTIO_BIN) and sipp. Bounded: a few minutes at most.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import Srf from 'drachtio-srf';
import pg from 'pg';
import { startEmbeddedPostgres, type EmbeddedDatabase } from '../../src/db/embedded.ts';
import { migrate } from '../../src/db/migrate.ts';
import { loadConfig } from '../../src/config.ts';
import { createLogger } from '../../src/logger.ts';
import { startRingpath } from '../../src/main.ts';
import { freePort } from '../../src/util/net.ts';
import { SCENARIOS } from '../support/sip.ts';

const BIN = process.env.DRACHTIO_BIN;
const PROBE_S = Number(process.env.BENCH_PROBE_S ?? 5);
const SUSTAIN_S = Number(process.env.BENCH_SUSTAIN_S ?? 30);
const PDD_RATE = Number(process.env.BENCH_PDD_RATE ?? 50);
const RATES = (process.env.BENCH_RATES ?? '50,100,150,200,250,300,400').split(',').map(Number);
const TRACKING = '+380441234567';
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

/** `seconds` of calls at `rate` calls/s; each call is answered at once and held 100 ms. */
async function load(sipPort: number, rate: number, seconds: number): Promise<Load> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'ringpath-bench-'));
  const calls = Math.round(rate * seconds);
  const port = await freePort();
  const mediaPort = await freePort();
  const code = await new Promise<number | null>((resolve) => {
    const child = spawn('sipp', [`127.0.0.1:${sipPort}`, '-sf', path.join(SCENARIOS, 'uac-bench-expect-200.xml'), '-s', TRACKING,
      '-key', 'caller', '+380501234567', '-i', '127.0.0.1', '-p', String(port), '-mp', String(mediaPort), '-r', String(rate),
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
  await rm(dir, { recursive: true, force: true });
  return { rate, seconds, calls, failed, pdd: pdd.sort((a, b) => a - b) };
}

async function highestRate(name: string, sipPort: number): Promise<number> {
  let best = 0;
  for (const rate of RATES) {
    const r = await load(sipPort, rate, PROBE_S);
    const saturated = pct(r.pdd, 99) > SATURATED_PDD_MS;
    console.log(`${name}: probe ${rate} cps for ${PROBE_S} s: ${r.calls - r.failed}/${r.calls} calls ok, pdd p99 ${pct(r.pdd, 99).toFixed(1)} ms${saturated ? ' (saturated)' : ''}`);
    await drain();
    if (r.failed > 0 || saturated) break;
    best = rate;
  }
  while (best > 0) {
    const r = await load(sipPort, best, SUSTAIN_S);
    await drain();
    console.log(`${name}: sustain ${best} cps for ${SUSTAIN_S} s: ${r.calls - r.failed}/${r.calls} calls ok`);
    if (r.failed === 0) return best;
    best = Math.floor(best * 0.8);
  }
  return 0;
}

async function main(): Promise<void> {
  if (!BIN) {
    console.error('bench:sip needs drachtio-server: set DRACHTIO_BIN to its binary (see README, "SIP end-to-end tests")');
    process.exit(2);
  }
  let embedded: EmbeddedDatabase | undefined;
  let adminUrl = process.env.DATABASE_URL;
  const tmp = await mkdtemp(path.join(os.tmpdir(), 'ringpath-bench-pg-'));
  if (!adminUrl) {
    embedded = await startEmbeddedPostgres({ dataDir: tmp, port: 0, logger: quiet, persistent: false });
    adminUrl = embedded.url;
  }
  const dbName = `bench_${process.pid}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${dbName}`);
  const u = new URL(adminUrl);
  u.pathname = `/${dbName}`;
  const url = u.toString();
  await migrate(url, quiet);

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
  await db.end();

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
    console.log(`post-dial delay at ${PDD_RATE} cps for ${SUSTAIN_S} s (INVITE to first 180/200 at the caller)`);
    const pddBare = await load(bare.sipPort, PDD_RATE, SUSTAIN_S);
    const pddFull = await load(full.sipPort, PDD_RATE, SUSTAIN_S);
    for (const [n, r] of [['bare createB2BUA', pddBare], ['ringpath', pddFull]] as const) {
      console.log(`${n}: ${r.calls - r.failed}/${r.calls} ok, pdd p50 ${pct(r.pdd, 50).toFixed(2)} ms, p99 ${pct(r.pdd, 99).toFixed(2)} ms`);
    }
    const bareCps = await highestRate('bare createB2BUA', bare.sipPort);
    const fullCps = await highestRate('ringpath', full.sipPort);
    const result = {
      cps: fullCps,
      failed: pddFull.failed,
      pdd_p50_ms: Number(pct(pddFull.pdd, 50).toFixed(2)),
      pdd_p99_ms: Number(pct(pddFull.pdd, 99).toFixed(2)),
      bare_cps: bareCps,
      bare_pdd_p99_ms: Number(pct(pddBare.pdd, 99).toFixed(2)),
    };
    console.log(JSON.stringify(result));
  } finally {
    srf.disconnect();
    await ringpath.close();
    stopUas.forEach((s) => s());
    full.stop();
    bare.stop();
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
