// The `ringpath` command. Each subcommand loads only what it needs, when it runs.
import { Command, CommanderError } from 'commander';
import { ConfigError } from '../config.ts';
import { registerCrmCommands } from './crm.ts';
import type { CliIo } from './io.ts';
import { registerPhoneCommands } from './phone.ts';
import { registerDatabaseCommands } from './database.ts';
import { registerServeCommand } from './serve.ts';
import { registerSimulateCommand } from './simulate.ts';

export function buildProgram(io: CliIo): Command {
  const program = new Command('ringpath')
    .description('ringpath: call tracking and smart call routing')
    .configureOutput({ writeOut: (s) => void io.stdout.write(s), writeErr: (s) => void io.stderr.write(s) })
    .showHelpAfterError()
    .exitOverride();
  registerServeCommand(program, io);
  registerDatabaseCommands(program, io);
  registerPhoneCommands(program, io);
  registerCrmCommands(program, io);
  registerSimulateCommand(program, io);
  return program;
}

/** Runs the command line `argv` (node, script, arguments...) with its output on `io`; answers the exit code. */
export async function run(argv: readonly string[], io: CliIo): Promise<number> {
  const program = buildProgram(io);
  try {
    await program.parseAsync([...argv]);
  } catch (err) {
    if (err instanceof CommanderError) {
      io.exitCode = err.exitCode;
    } else if (err instanceof ConfigError) {
      io.stderr.write(`ringpath: invalid configuration: ${err.message}\n`);
      io.exitCode = 2;
    } else {
      io.stderr.write(`ringpath: ${err instanceof Error ? err.message : String(err)}\n`);
      io.exitCode = 1;
    }
  }
  return io.exitCode;
}

export async function main(argv: string[]): Promise<void> {
  process.exitCode = await run(argv, { stdout: process.stdout, stderr: process.stderr, exitCode: 0 });
}
