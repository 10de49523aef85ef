// Running a `ringpath` command in this process, through the same entry as the
// `ringpath` binary (src/cli/main.ts run()), with its output kept in memory: for
// tests about what a command prints and does rather than about the process.
import { Writable } from 'node:stream';
import { run } from '../../src/cli/main.ts';

export interface CliResult {
  /** The exit code the process would have. */
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  /** stdout and stderr as they came, interleaved. */
  readonly output: string;
}

/** `ringpath ARGS` with exactly the given environment. */
export async function runCli(args: readonly string[], env: Record<string, string>): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  let output = '';
  const sink = (keep: (text: string) => void) =>
    new Writable({
      write(chunk: Buffer | string, _encoding, done) {
        const text = chunk.toString();
        keep(text);
        output += text;
        done();
      },
    });
  const io = { env, stdout: sink((s) => (stdout += s)), stderr: sink((s) => (stderr += s)), exitCode: 0 };
  const code = await run(['node', 'ringpath', ...args], io);
  return { code, stdout, stderr, output };
}
