// `ringpath migrate` and `ringpath api-key create|list|revoke`. They work beside
// a running `ringpath serve` (src/cli/context.ts): results on stdout, logs on stderr.
import { InvalidArgumentError, type Command } from 'commander';
import type { CliIo } from './io.ts';
import { withDatabase } from './context.ts';

/** "12" → 12; anything but a positive integer is a usage error naming the argument. */
export function parseId(text: string): number {
  if (!/^[1-9][0-9]{0,15}$/.test(text)) throw new InvalidArgumentError('an API key id is a positive whole number, as `ringpath api-key list` shows');
  return Number(text);
}

export function registerDatabaseCommands(program: Command, io: CliIo): void {
  const out = (line: string) => void io.stdout.write(`${line}\n`);

  program
    .command('migrate')
    .description('apply pending database migrations (safe to run from several processes at once)')
    .action(async () => {
      const { migrate } = await import('../db/migrate.ts');
      await withDatabase(
        io,
        async ({ db, logger }) => {
          const applied = await migrate(db.url, logger);
          out(applied.length === 0 ? 'the database schema is up to date' : `applied ${applied.length} migration(s): ${applied.join(', ')}`);
        },
        { migrate: false },
      );
    });

  const apiKey = program.command('api-key').description('API keys for integrations (also under /api/v1/api-keys)');
  apiKey
    .command('create')
    .description('create an API key and print it once (only its hash is stored)')
    .argument('<name>', 'what the key is for')
    .action(async (name: string) => {
      const { createApiKey } = await import('../auth/api-keys.ts');
      await withDatabase(io, async ({ db }) => {
        const { key, record } = await createApiKey(db.pool, name);
        io.stdout.write(`${key}\n`);
        io.stderr.write(`API key ${JSON.stringify(record.name)} created (id ${record.id}); it is not shown again.\n`);
      });
    });

  apiKey
    .command('list')
    .description('list the API keys: id, name, the public part of the key, when created, last used and revoked')
    .action(async () => {
      const [{ listApiKeys }, { apiKeyTable }] = await Promise.all([import('../auth/api-keys.ts'), import('./format.ts')]);
      await withDatabase(io, async ({ db }) => {
        const { items } = await listApiKeys(db.pool, { limit: 100_000, offset: 0 });
        for (const line of apiKeyTable(items)) out(line);
      });
    });

  apiKey
    .command('revoke')
    .description('revoke an API key: from now on it authenticates nothing (it stays listed)')
    .argument('<id>', 'the key\'s id, as `ringpath api-key list` shows', parseId)
    .action(async (id: number) => {
      const { revokeApiKey } = await import('../auth/api-keys.ts');
      await withDatabase(io, async ({ db }) => {
        const revoked = await revokeApiKey(db.pool, id);
        if (!revoked) {
          io.stderr.write(`ringpath: there is no API key ${id} (see \`ringpath api-key list\`)\n`);
          io.exitCode = 1;
          return;
        }
        out(`API key ${id} (${JSON.stringify(revoked.name)}) is revoked: it no longer authenticates requests`);
      });
    });
}
