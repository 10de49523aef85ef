// What the commands that use the database share: the settings, a logger that
// writes pino JSON to stderr at the level asked (LOG_LEVEL; warn when unset), and
// the database, found the way `ringpath serve` finds it (or shared by a running serve).
import { loadConfig, type Config } from '../config.ts';
import type { Database } from '../db/database.ts';
import type { Logger } from '../logger.ts';
import type { CliIo } from './io.ts';

export interface CommandContext {
  readonly config: Config;
  readonly logger: Logger;
  readonly db: Database;
}

export async function commandLogger(io: CliIo, config: Config): Promise<Logger> {
  const { createLogger } = await import('../logger.ts');
  return createLogger(config.commandLogLevel, io.stderr);
}

/** Runs fn with the database open, and closes it (and stops an embedded server this command started). */
export async function withDatabase<T>(io: CliIo, fn: (ctx: CommandContext) => Promise<T>, opts: { migrate?: boolean } = {}): Promise<T> {
  const config = loadConfig(io.env);
  const [logger, { openDatabase }] = await Promise.all([commandLogger(io, config), import('../db/database.ts')]);
  const db = await openDatabase(config, logger, opts);
  try {
    return await fn({ config, logger, db });
  } finally {
    await db.close();
    logger.flush();
  }
}
