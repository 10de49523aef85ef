import type { Command } from 'commander';
import { createApiKey } from '../auth/api-keys.ts';
import { loadConfig } from '../config.ts';
import { openDatabase } from '../db/database.ts';
import { createLogger } from '../logger.ts';

export function registerDatabaseCommands(program: Command): void {
  program
    .command('migrate')
    .description('apply pending database migrations (safe to run from several processes at once)')
    .action(async () => {
      const config = loadConfig();
      const logger = createLogger(config.logLevel);
      const db = await openDatabase(config, logger, { migrate: true });
      await db.close();
      logger.flush();
    });

  const apiKey = program.command('api-key').description('API keys for integrations');
  apiKey
    .command('create')
    .description('create an API key and print it once (only its hash is stored)')
    .argument('<name>', 'what the key is for')
    .action(async (name: string) => {
      const config = loadConfig();
      const logger = createLogger(config.logLevel === 'info' ? 'warn' : config.logLevel);
      const db = await openDatabase(config, logger);
      try {
        const { key, record } = await createApiKey(db.pool, name);
        process.stdout.write(`${key}\n`);
        process.stderr.write(`API key ${JSON.stringify(record.name)} created (id ${record.id}); it is not shown again.\n`);
      } finally {
        await db.close();
      }
    });
}
