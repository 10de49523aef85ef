// Where a command reads its settings and writes its output: the `ringpath`
// process passes its own streams (and environment); tests run commands in memory.
export interface CliIo {
  /** The settings; undefined: the process's environment. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream;
  /** The exit code the command asks for (0 unless it sets one). */
  exitCode: number;
}
