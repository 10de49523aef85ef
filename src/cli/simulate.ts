// `ringpath simulate-call --from NUMBER --to TRACKING_NUMBER [--at ISO_TIME]`:
// the routing plan a call would get and why, without placing it. Nothing is
// rung and the round-robin position is left where it is.
import type { Command } from 'commander';
import type { SimulatedCall, SimulatedNumbers } from '../calls/plan.ts';
import { loadConfig } from '../config.ts';
import { AppError } from '../errors.ts';
import { createLogger } from '../logger.ts';
import { describeLookup, describePlan } from '../routing/describe.ts';
import type { CliIo } from './io.ts';

/** An ISO 8601 date and time with a zone (Z or ±hh:mm); seconds and fractions optional. */
const ISO_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2})$/i;

/** The instant of --at, or undefined when it is not an ISO 8601 time with a zone. */
export function parseAt(text: string): Date | undefined {
  const m = ISO_TIME.exec(text.trim());
  if (!m) return undefined;
  const [year, month, day, hour, minute] = m.slice(1, 6).map(Number) as [number, number, number, number, number];
  // Date would roll 2026-02-30 over into March; refuse it instead
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth || hour > 23 || minute > 59) return undefined;
  const at = new Date(text.trim());
  return Number.isNaN(at.getTime()) ? undefined : at;
}

/** Everything `simulate-call` prints: the call, the tracking number, the CRM answer, the plan. */
export function simulationLines(call: SimulatedCall, budgetMs: number): string[] {
  const tn = call.trackingNumber;
  const source = tn.staticSource ? `static number, source "${tn.staticSource.name}"` : `pool number${tn.poolId === null ? '' : ` of pool ${tn.poolId}`}`;
  const scheme =
    tn.schemeId === null ? 'no routing scheme' : call.schemeFound ? `routing scheme ${tn.schemeId}` : `routing scheme ${tn.schemeId} (deleted)`;
  return [
    `simulated call from ${call.caller ?? 'a withheld number'} to ${tn.number} at ${call.at.toISOString()}: nothing is rung`,
    `tracking number ${tn.number}: ${source}; ${scheme}`,
    describeLookup(call.lookup, budgetMs),
    ...describePlan(call.plan, { employees: call.employees, simulation: true }),
  ];
}

export function registerSimulateCommand(program: Command, io: CliIo): void {
  const fail = (message: string, code: number): void => {
    io.stderr.write(`ringpath: ${message}\n`);
    io.exitCode = code;
  };
  program
    .command('simulate-call')
    .description('print the routing plan of a call and the reason for each step, without placing it (the round robin does not move)')
    .requiredOption('--from <number>', 'the caller\'s number, any format ("anonymous" for a withheld caller)')
    .requiredOption('--to <number>', 'the tracking number dialled')
    .option('--at <time>', 'when the call comes in, ISO 8601 with a zone, e.g. 2026-06-15T09:30:00+03:00 (default: now)')
    .action(async (opts: { from: string; to: string; at?: string }) => {
      const config = loadConfig(io.env);
      const at = opts.at === undefined ? new Date() : parseAt(opts.at);
      if (!at) return fail(`--at must be an ISO 8601 time with a zone, e.g. 2026-06-15T09:30:00+03:00 (got ${JSON.stringify(opts.at)})`, 2);
      // Planning and the database are loaded only when this command runs.
      const [{ databaseSources, simulateCall, simulatedNumbers }, { openDatabase }, { roundRobinPort }] = await Promise.all([
        import('../calls/plan.ts'),
        import('../db/database.ts'),
        import('../db/repositories/round-robin.ts'),
      ]);
      let numbers: SimulatedNumbers;
      try {
        numbers = simulatedNumbers(opts.from, opts.to, config.defaultCountry);
      } catch (err) {
        if (!(err instanceof AppError)) throw err;
        const problem = err.errors[0];
        return fail(problem ? `--${problem.field}: ${problem.message}` : err.message, 2);
      }
      const logger = createLogger(config.logLevel === 'info' ? 'warn' : config.logLevel, io.stderr);
      const db = await openDatabase(config, logger);
      try {
        const deps = { pool: db.pool, sources: databaseSources(db.pool), lookupBudgetMs: config.sip.lookupBudgetMs, roundRobin: roundRobinPort(db.pool) };
        const call = await simulateCall(deps, numbers, at);
        io.stdout.write(`${simulationLines(call, config.sip.lookupBudgetMs).join('\n')}\n`);
      } catch (err) {
        if (err instanceof AppError && err.code === 'TRACKING_NUMBER_UNKNOWN') return fail(err.message, 1);
        throw err;
      } finally {
        logger.flush();
        await db.close();
      }
    });
}
