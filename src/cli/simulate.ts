// `ringpath simulate-call --from NUMBER --to TRACKING_NUMBER [--at ISO_TIME] [--json]`:
// the attribution and the routing plan a call would get and why, without placing
// it. Nothing is rung and the round-robin position is left where it is. With
// --json it prints the object POST /api/v1/calls/simulate answers with (both are
// built by src/calls/simulation.ts).
import type { Command } from 'commander';
import { loadConfig } from '../config.ts';
import { AppError } from '../errors.ts';
import { commandLogger } from './context.ts';
import { AT_FORMAT, parseAt } from '../util/time.ts';
import type { CliIo } from './io.ts';

export function registerSimulateCommand(program: Command, io: CliIo): void {
  const fail = (message: string, code: number): void => {
    io.stderr.write(`ringpath: ${message}\n`);
    io.exitCode = code;
  };
  program
    .command('simulate-call')
    .description('print the attribution and the routing plan of a call and the reason for each step, without placing it (the round robin does not move)')
    .requiredOption('--from <number>', 'the caller\'s number, any format ("anonymous" for a withheld caller)')
    .requiredOption('--to <number>', 'the tracking number dialled')
    .option('--at <time>', 'when the call comes in, ISO 8601 with a zone, e.g. 2026-06-15T09:30:00+03:00 (default: now)')
    .option('--json', 'print the simulation as JSON, the same object POST /api/v1/calls/simulate returns')
    .action(async (opts: { from: string; to: string; at?: string; json?: boolean }) => {
      const config = loadConfig(io.env);
      // refuse bad input before opening the database
      if (opts.at !== undefined && !parseAt(opts.at)) return fail(`--at must be ${AT_FORMAT} (got ${JSON.stringify(opts.at)})`, 2);
      // Planning and the database are loaded only when this command runs.
      const [{ databaseSources, simulatedNumbers }, { simulate }, { openDatabase }, { roundRobinPort }] = await Promise.all([
        import('../calls/plan.ts'),
        import('../calls/simulation.ts'),
        import('../db/database.ts'),
        import('../db/repositories/round-robin.ts'),
      ]);
      try {
        simulatedNumbers(opts.from, opts.to, config.defaultCountry);
      } catch (err) {
        if (!(err instanceof AppError)) throw err;
        const problem = err.errors[0];
        return fail(problem ? `--${problem.field}: ${problem.message}` : err.message, 2);
      }
      const logger = await commandLogger(io, config);
      const db = await openDatabase(config, logger);
      try {
        const deps = {
          pool: db.pool,
          sources: databaseSources(db.pool),
          lookupBudgetMs: config.sip.lookupBudgetMs,
          roundRobin: roundRobinPort(db.pool),
          defaultCountry: config.defaultCountry,
        };
        const { report } = await simulate(deps, { from: opts.from, to: opts.to, at: opts.at });
        io.stdout.write(opts.json ? `${JSON.stringify(report, null, 2)}\n` : `${report.lines.join('\n')}\n`);
      } catch (err) {
        if (!(err instanceof AppError)) throw err;
        return fail(err.message, err.code === 'TRACKING_NUMBER_UNKNOWN' ? 1 : 2);
      } finally {
        logger.flush();
        await db.close();
      }
    });
}
