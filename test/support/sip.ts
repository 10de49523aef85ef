// The real SIP stack for end-to-end tests: drachtio-server (DRACHTIO_BIN, or a
// running one at DRACHTIO_HOST), sipp from Debian's sip-tester, and ringpath.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { Test } from 'tap';
import { loadConfig } from '../../src/config.ts';
import { createLogger } from '../../src/logger.ts';
import { startRingpath, type Ringpath } from '../../src/main.ts';
import { freePort } from '../../src/util/net.ts';
import { REPO_ROOT, waitFor } from './process.ts';

export const SCENARIOS = path.join(REPO_ROOT, 'sip/scenarios');

/** Why the SIP end-to-end tests cannot run here, or undefined when they can. */
export function sipUnavailable(): string | undefined {
  if (!process.env.DRACHTIO_BIN && !process.env.DRACHTIO_HOST) {
    return 'SIP end-to-end tests skipped: no drachtio-server (set DRACHTIO_BIN to its binary, or DRACHTIO_HOST to a running server)';
  }
  if (spawnSync('sipp', ['-v']).error) return 'SIP end-to-end tests skipped: sipp is not installed (Debian package sip-tester)';
  return undefined;
}

export interface Drachtio {
  readonly host: string;
  readonly adminPort: number;
  readonly sipPort: number;
  readonly secret: string;
  /** Stop our drachtio-server (DRACHTIO_BIN only); resolves once it has exited. */
  stop(): Promise<void>;
  /** Start it again on the same ports. */
  restart(): Promise<void>;
}

function tcpOpen(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect(port, host);
    s.once('connect', () => (s.destroy(), resolve(true)));
    s.once('error', () => resolve(false));
  });
}

/** A drachtio-server for this test file: ours from DRACHTIO_BIN, or the one at DRACHTIO_HOST. */
export async function startDrachtio(t: Test): Promise<Drachtio> {
  const secret = process.env.DRACHTIO_SECRET ?? 'cymru';
  if (!process.env.DRACHTIO_BIN) {
    const cannot = async () => {
      throw new Error('stopping a shared drachtio-server (DRACHTIO_HOST) is not possible; use DRACHTIO_BIN');
    };
    return {
      host: process.env.DRACHTIO_HOST!,
      adminPort: Number(process.env.DRACHTIO_PORT ?? 9022),
      sipPort: Number(process.env.DRACHTIO_SIP_PORT ?? 5060),
      secret,
      stop: cannot,
      restart: cannot,
    };
  }
  const bin = process.env.DRACHTIO_BIN;
  const adminPort = await freePort();
  const sipPort = await freePort();
  let child: ChildProcess | undefined;
  const launch = async () => {
    child = spawn(
      bin,
      [
        '-f', path.join(REPO_ROOT, 'sip/drachtio.conf.xml'),
        '--address', '127.0.0.1',
        '--port', String(adminPort),
        '--secret', secret,
        '--contact', `sip:127.0.0.1:${sipPort};transport=udp,tcp`,
        '--loglevel', process.env.DRACHTIO_LOGLEVEL ?? 'warning',
      ],
      { stdio: ['ignore', 'ignore', 'inherit'] },
    );
    await waitFor(() => tcpOpen('127.0.0.1', adminPort), 15_000, 'drachtio-server admin port');
  };
  const stop = async () => {
    const running = child;
    child = undefined;
    if (!running || running.exitCode !== null) return;
    const exited = new Promise((r) => running.once('exit', r));
    running.kill('SIGTERM');
    await exited;
  };
  t.teardown(stop);
  await launch();
  return { host: '127.0.0.1', adminPort, sipPort, secret, stop, restart: launch };
}

/** ringpath in this process, on the test's database, connected to drachtio. */
export async function startSipRingpath(
  t: Test,
  drachtio: Drachtio,
  databaseUrl: string,
  env: Record<string, string> = {},
): Promise<Ringpath> {
  const config = loadConfig({
    DATABASE_URL: databaseUrl,
    PORT: String(await freePort()),
    DEFAULT_COUNTRY: 'UA',
    DRACHTIO_HOST: drachtio.host,
    DRACHTIO_PORT: String(drachtio.adminPort),
    DRACHTIO_SECRET: drachtio.secret,
    TRUNK_ALLOWLIST: '127.0.0.1',
    ADMIN_PASSWORD: 'a-long-admin-password',
    ...env,
  });
  const logger = createLogger((process.env.TEST_LOG_LEVEL as 'info' | undefined) ?? 'silent');
  const ringpath = await startRingpath(config, logger);
  t.teardown(() => ringpath.close());
  await waitFor(async () => ringpath.sip?.connected() ?? false, 15_000, 'ringpath to connect to drachtio-server');
  return ringpath;
}

export interface SippResult {
  readonly code: number | null;
  readonly output: string;
  readonly errors: string;
  /** The message trace, when asked for with `trace`. */
  readonly messages: string;
}

export interface SippOptions {
  readonly scenario: string;
  /** host:port to send to (uac), or undefined for a uas. */
  readonly target?: string;
  readonly localIp?: string;
  readonly localPort?: number;
  readonly service?: string;
  readonly keys?: Record<string, string>;
  /** Calls to make (uac) or to take (uas) before exiting. */
  readonly calls?: number;
  readonly rate?: number;
  /** The -d duration (ms) used by <pause/>. */
  readonly pauseMs?: number;
  readonly timeoutS?: number;
  readonly extra?: readonly string[];
  /** Keep every message sipp sent and received (SippResult.messages). */
  readonly trace?: boolean;
}

export interface RunningSipp {
  readonly port: number;
  readonly done: Promise<SippResult>;
  stop(): void;
}

/** Start sipp; `done` resolves when it exits (0: every call passed). */
export async function startSipp(t: Test, opts: SippOptions): Promise<RunningSipp> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'ringpath-sipp-'));
  const port = opts.localPort ?? (await freePort());
  const errorFile = path.join(dir, 'errors.log');
  const messageFile = path.join(dir, 'messages.log');
  const traceDir = process.env.SIPP_TRACE_DIR;
  const args = [
    ...(opts.target ? [opts.target] : []),
    '-sf', path.join(SCENARIOS, opts.scenario),
    '-i', opts.localIp ?? '127.0.0.1',
    '-p', String(port),
    '-mi', opts.localIp ?? '127.0.0.1',
    '-mp', String(await freePort()),
    '-m', String(opts.calls ?? 1),
    '-r', String(opts.rate ?? 10),
    '-d', String(opts.pauseMs ?? 200),
    '-timeout', `${opts.timeoutS ?? 30}s`,
    '-timeout_error',
    '-nostdin',
    '-trace_err',
    '-error_file', errorFile,
    ...(opts.service ? ['-s', opts.service] : []),
    ...Object.entries(opts.keys ?? {}).flatMap(([k, v]) => ['-key', k, v]),
    ...(opts.extra ?? []),
    // SIPP_TRACE_DIR=/some/dir keeps every message sipp sent and received, for debugging
    ...(opts.trace || traceDir ? ['-trace_msg', '-message_file', traceDir ? path.join(traceDir, `${opts.scenario}-${port}.log`) : messageFile] : []),
  ];
  const child = spawn('sipp', args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  const done = new Promise<SippResult>((resolve) => {
    child.on('exit', async (code) => {
      const errors = await readFile(errorFile, 'utf8').catch(() => '');
      const messages = await readFile(traceDir ? path.join(traceDir, `${opts.scenario}-${port}.log`) : messageFile, 'utf8').catch(() => '');
      await rm(dir, { recursive: true, force: true });
      resolve({ code, output, errors, messages });
    });
  });
  t.teardown(() => void child.kill('SIGKILL'));
  // a uas must be listening before anything is sent to it
  if (!opts.target) await new Promise((r) => setTimeout(r, 300));
  return { port, done, stop: () => void child.kill('SIGTERM') };
}

export async function runSipp(t: Test, opts: SippOptions): Promise<SippResult> {
  return (await startSipp(t, opts)).done;
}
