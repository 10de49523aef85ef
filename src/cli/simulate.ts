// `ringpath simulate-call --from NUMBER --to TRACKING_NUMBER [--at ISO_TIME] [--json]`:
// the attribution and the routing plan a call would get and why, without placing
// it. Nothing is rung and the round-robin position is left where it is. With
// --json it prints the object POST /api/v1/calls/simulate answers with (both are
// built by src/calls/simulation.ts).
import type { Command } from 'commander';
import { databaseSources, simulatedNumbers } from '../calls/plan.ts';
import { simulate } from '../calls/simulation.ts';
import { AT_FORMAT, parseAt } from '../util/time.ts';
import { loadConfig } from '../config.ts';
import { openDatabase } from '../db/database.ts';
import { roundRobinPort } from '../db/repositories/round-robin.ts';
import { AppError } from '../errors.ts';
import { createLogger } from '../logger.ts';

function fail(message: string, code: number): void {
  process.stderr.write(`ringpath: ${message}\n`);
  process.exitCode = code;
}

export function registerSimulateCommand(program: Command): void {
  program
    .command('simulate-call')
    .description('print the attribution and the routing plan of a call and the reason for each step, without placing it (the round robin does not move)')
    .requiredOption('--from <number>', 'the caller\'s number, any format ("anonymous" for a withheld caller)')
    .requiredOption('--to <number>', 'the tracking number dialled')
    .option('--at <time>', 'when the call comes in, ISO 8601 with a zone, e.g. 2026-06-15T09:30:00+03:00 (default: now)')
    .option('--json', 'print the simulation as JSON, the same object POST /api/v1/calls/simulate returns')
    .action(async (opts: { from: string; to: string; at?: string; json?: boolean }) => {
      const config = loadConfig();
      // refuse bad input before opening the database
      if (opts.at !== undefined && !parseAt(opts.at)) return fail(`--at must be ${AT_FORMAT} (got ${JSON.stringify(opts.at)})`, 2);
      try {
        simulatedNumbers(opts.from, opts.to, config.defaultCountry);
      } catch (err) {
        if (!(err instanceof AppError)) throw err;
        const problem = err.errors[0];
        return fail(problem ? `--${problem.field}: ${problem.message}` : err.message, 2);
      }
      const logger = createLogger(config.logLevel === 'info' ? 'warn' : config.logLevel, process.stderr);
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
        process.stdout.write(opts.json ? `${JSON.stringify(report, null, 2)}\n` : `${report.lines.join('\n')}\n`);
      } catch (err) {
        if (!(err instanceof AppError)) throw err;
        return fail(err.message, err.code === 'TRACKING_NUMBER_UNKNOWN' ? 1 : 2);
      } finally {
        logger.flush();
        await db.close();
      }
    });
}
