// Running the `ringpath` command, or a script of the test support, as a real process.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const BIN = path.join(REPO_ROOT, 'bin/ringpath.js');

export interface Running {
  readonly child: ChildProcess;
  /** stdout and stderr as they came, interleaved. */
  output(): string;
  stdout(): string;
  stderr(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Exited, and its stdout and stderr read to the end. */
  closed: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** What bin/ringpath.js runs in tests: the TypeScript sources as they are now, not an earlier build in dist/. */
export const FROM_SOURCE = { RINGPATH_SOURCE: '1' } as const;

/**
 * Start `ringpath ARGS` with exactly the given environment (plus PATH/HOME and
 * FROM_SOURCE). `detached`: in a process group of its own, as a terminal runs
 * it, so a test can send a signal to the whole group as Ctrl-C does.
 */
export function startRingpath(args: string[], env: Record<string, string>, opts: { detached?: boolean } = {}): Running {
  const child = spawn(process.execPath, [BIN, ...args], {
    cwd: REPO_ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/root', ...FROM_SOURCE, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: opts.detached ?? false,
  });
  let out = '';
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d: Buffer) => ((out += d.toString()), (stdout += d.toString())));
  child.stderr!.on('data', (d: Buffer) => ((out += d.toString()), (stderr += d.toString())));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  const closed = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal })),
  );
  return { child, output: () => out, stdout: () => stdout, stderr: () => stderr, exited, closed };
}

export async function runRingpath(args: string[], env: Record<string, string>) {
  const r = startRingpath(args, env);
  const { code } = await r.closed;
  return { code, output: r.output() };
}

export async function waitFor(check: () => Promise<boolean>, timeoutMs: number, what: string): Promise<number> {
  const start = Date.now();
  for (;;) {
    if (await check().catch(() => false)) return Date.now() - start;
    if (Date.now() - start > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** A TypeScript script run as a process of its own, talking line by line over stdin and stdout. */
export interface ScriptProcess extends Running {
  /** Resolves with the first line on stdout matching the pattern (seen before or after the call); rejects when the process exits first. */
  line(pattern: RegExp): Promise<string>;
  /** Writes one line to its stdin. */
  send(line: string): void;
}

/** Starts `node --import tsx SCRIPT` with exactly the given environment (plus PATH/HOME). */
export function startScript(script: string, env: Record<string, string>): ScriptProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', script], {
    cwd: REPO_ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/root', ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let out = '';
  let stdout = '';
  const waiters = new Set<() => void>();
  let stderr = '';
  child.stdout!.on('data', (d: Buffer) => {
    out += d.toString();
    stdout += d.toString();
    for (const check of [...waiters]) check();
  });
  child.stderr!.on('data', (d: Buffer) => ((out += d.toString()), (stderr += d.toString())));
  child.stdin!.on('error', () => undefined); // a process that is gone no longer reads
  let gone = false;
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  const closed = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('close', (code, signal) => {
      gone = true;
      for (const check of [...waiters]) check();
      resolve({ code, signal });
    }),
  );
  return {
    child,
    output: () => out,
    stdout: () => stdout,
    stderr: () => stderr,
    exited,
    closed,
    line(pattern) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const found = stdout.split('\n').find((l) => pattern.test(l));
          if (found !== undefined) {
            waiters.delete(check);
            resolve(found);
          } else if (gone) {
            waiters.delete(check);
            reject(new Error(`${path.basename(script)} exited before printing ${pattern}:\n${out.slice(-2000)}`));
          }
        };
        waiters.add(check);
        check();
      });
    },
    send(line) {
      child.stdin!.write(`${line}\n`);
    },
  };
}
