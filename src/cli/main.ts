// The `ringpath` command. Each subcommand loads only what it needs.
import { Command, CommanderError } from 'commander';
import { ConfigError } from '../config.ts';
import { registerCrmCommands } from './crm.ts';
import { registerPhoneCommands } from './phone.ts';
import { registerDatabaseCommands } from './database.ts';
import { registerServeCommand } from './serve.ts';
import { registerSimulateCommand } from './simulate.ts';

export function buildProgram(): Command {
  const program = new Command('ringpath')
    .description('ringpath: call tracking and smart call routing')
    .showHelpAfterError()
    .exitOverride();
  registerServeCommand(program);
  registerDatabaseCommands(program);
  registerPhoneCommands(program);
  registerCrmCommands(program);
  registerSimulateCommand(program);
  return program;
}

export async function main(argv: string[]): Promise<void> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
  } catch (err) {
    if (err instanceof CommanderError) {
      process.exitCode = err.exitCode;
      return;
    }
    if (err instanceof ConfigError) {
      process.stderr.write(`ringpath: invalid configuration: ${err.message}\n`);
      process.exitCode = 2;
      return;
    }
    process.stderr.write(`ringpath: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  }
}
