// rtpengine for end-to-end tests: Debian's rtpengine-daemon on 127.0.0.1 with
// the settings of sip/rtpengine.conf, ports of its own, stopped with the test.
//
// By default it records with recording-method=pcap (no kernel module; ringpath
// makes the WAV). With RTPENGINE_TABLE=<n> on a machine with the xt_RTPENGINE
// kernel module it records with recording-method=proc instead, and
// rtpengine-recording writes the WAV into RECORDINGS_DIR/incoming.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import rtpengineClient from 'rtpengine-client';
import type { Test } from 'tap';
import { freePort } from '../../src/util/net.ts';
import { waitFor } from './process.ts';

const RTPENGINE = process.env.RTPENGINE_BIN ?? 'rtpengine';
const RECORDING_DAEMON = process.env.RTPENGINE_RECORDING_BIN ?? 'rtpengine-recording';

/** Why rtpengine tests cannot run here, or undefined when they can. */
export function rtpengineUnavailable(): string | undefined {
  if (spawnSync(RTPENGINE, ['--version']).error) return 'rtpengine tests skipped: rtpengine is not installed (Debian package rtpengine-daemon)';
  if (process.env.RTPENGINE_TABLE) {
    if (!existsSync('/proc/rtpengine/control')) return 'rtpengine tests skipped: RTPENGINE_TABLE is set but the xt_RTPENGINE kernel module is not loaded';
    if (spawnSync(RECORDING_DAEMON, ['--version']).error) return 'rtpengine tests skipped: rtpengine-recording is not installed (Debian package rtpengine-recording-daemon)';
  }
  return undefined;
}

export interface Rtpengine {
  /** RTPENGINE_NG for ringpath. */
  readonly ng: string;
  /** rtpengine's recording-dir (pcaps/ and metadata/ with recording-method=pcap). */
  readonly recordingDir: string;
  readonly method: 'pcap' | 'proc';
  /** What the daemons logged, for failure messages. */
  log(): string;
}

function run(t: Test, bin: string, args: string[], out: { text: string }): ChildProcess {
  const child = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const keep = (d: Buffer) => (out.text = (out.text + d.toString()).slice(-20_000));
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  t.teardown(
    () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        const hard = setTimeout(() => child.kill('SIGKILL'), 3000);
        child.once('exit', () => (clearTimeout(hard), resolve()));
        child.kill('SIGTERM');
      }),
  );
  return child;
}

/** rtpengine (and, with recording-method=proc, rtpengine-recording) for this test, answering ng pings. */
export async function startRtpengine(t: Test, opts: { recordingsDir?: string } = {}): Promise<Rtpengine> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'ringpath-rtpengine-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const ngPort = await freePort();
  const portMin = 20000 + Math.floor(Math.random() * 50) * 200;
  const table = process.env.RTPENGINE_TABLE;
  const method = table ? 'proc' : 'pcap';
  const out = { text: '' };
  const child = run(
    t,
    RTPENGINE,
    [
      '--config-file=none',
      `--table=${table ?? -1}`,
      '--interface=127.0.0.1',
      `--listen-ng=127.0.0.1:${ngPort}`,
      `--port-min=${portMin}`,
      `--port-max=${portMin + 199}`,
      `--recording-dir=${dir}`,
      `--recording-method=${method}`,
      '--delete-delay=0',
      '--foreground',
      '--log-stderr',
      `--log-level=${process.env.RTPENGINE_LOGLEVEL ?? 5}`,
    ],
    out,
  );
  if (table && opts.recordingsDir) {
    run(
      t,
      RECORDING_DAEMON,
      [
        '--config-file=none',
        `--table=${table}`,
        `--spool-dir=${dir}`,
        `--output-dir=${path.join(opts.recordingsDir, 'incoming')}`,
        '--output-format=wav',
        '--output-mixed',
        '--mix-method=channels',
        '--foreground',
        '--log-stderr',
      ],
      out,
    );
  }
  const client = new rtpengineClient.Client({ timeout: 300 });
  client.on('error', () => undefined);
  try {
    await waitFor(
      async () => {
        if (child.exitCode !== null) throw new Error(`rtpengine exited (${child.exitCode}):\n${out.text}`);
        return (await client.ping({ host: '127.0.0.1', port: ngPort })).result === 'pong';
      },
      10_000,
      `rtpengine to answer ng pings\n${out.text}`,
    );
  } finally {
    client.close();
  }
  return { ng: `127.0.0.1:${ngPort}`, recordingDir: dir, method, log: () => out.text };
}
