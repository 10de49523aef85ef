import type { Command } from 'commander';
import { loadConfig } from '../config.ts';
import { createLogger } from '../logger.ts';
import type { CliIo } from './io.ts';

export function registerDatabaseCommands(program: Command, io: CliIo): void {
  program
    .command('migrate')
    .description('apply pending database migrations (safe to run from several processes at once)')
    .action(async () => {
      const config = loadConfig(io.env);
      const logger = createLogger(config.logLevel, io.stdout);
      const { openDatabase } = await import('../db/database.ts');
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
      const config = loadConfig(io.env);
      const logger = createLogger(config.logLevel === 'info' ? 'warn' : config.logLevel, io.stdout);
      const [{ openDatabase }, { createApiKey }] = await Promise.all([import('../db/database.ts'), import('../auth/api-keys.ts')]);
      const db = await openDatabase(config, logger);
      try {
        const { key, record } = await createApiKey(db.pool, name);
        io.stdout.write(`${key}\n`);
        io.stderr.write(`API key ${JSON.stringify(record.name)} created (id ${record.id}); it is not shown again.\n`);
      } finally {
        await db.close();
      }
    });
}
