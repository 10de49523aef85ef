// `ringpath crm sync [--full]`, `ringpath crm refresh`, `ringpath crm status`:
// the CRM mirror from the command line. Progress goes to stdout, logs to stderr.
import type { Command } from 'commander';
import { loadConfig, type Config } from '../config.ts';
import type { MirrorContext } from '../crm/mirror/types.ts';
import type { Database } from '../db/database.ts';
import { withDatabase } from './context.ts';
import type { CliIo } from './io.ts';
import { progressReporter } from './progress.ts';

/** The mirror's code, loaded only when a crm command runs. */
async function mirrorModules() {
  const [client, fullSync, incremental, index, lock, refresh, state, status, webhooks, database] = await Promise.all([
    import('../crm/hubspot/client.ts'),
    import('../crm/mirror/full-sync.ts'),
    import('../crm/mirror/incremental.ts'),
    import('../crm/mirror/index.ts'),
    import('../crm/mirror/lock.ts'),
    import('../crm/mirror/refresh.ts'),
    import('../crm/mirror/state.ts'),
    import('../crm/mirror/status.ts'),
    import('../crm/mirror/webhook-queue.ts'),
    import('../db/database.ts'),
  ]);
  return {
    createHubSpotGateway: client.createHubSpotGateway,
    runFullSync: fullSync.runFullSync,
    runIncrementalSync: incremental.runIncrementalSync,
    mirrorContext: index.mirrorContext,
    withLock: lock.withLock,
    refreshCatalog: refresh.refreshCatalog,
    mirrorFilled: state.mirrorFilled,
    mirrorStatus: status.mirrorStatus,
    applyWebhookQueue: webhooks.applyWebhookQueue,
    openDatabase: database.openDatabase,
  };
}
type MirrorModules = Awaited<ReturnType<typeof mirrorModules>>;

/** Opens the database and the CRM, runs fn, closes; exit code 2 when CRM sync is off. */
async function withMirror(io: CliIo, fn: (ctx: MirrorContext, db: Database, m: MirrorModules, config: Config) => Promise<void>): Promise<void> {
  if (!loadConfig(io.env).crm.hubspotToken) {
    io.stderr.write('ringpath: CRM sync is off: set HUBSPOT_TOKEN\n');
    io.exitCode = 2;
    return;
  }
  const m = await mirrorModules();
  await withDatabase(io, async ({ config, logger, db }) => {
    const gateway = m.createHubSpotGateway(config.crm, db.pool, logger);
    await fn(m.mirrorContext({ config, pool: db.pool, logger, gateway }), db, m, config);
  });
}

export function registerCrmCommands(program: Command, io: CliIo): void {
  const out = (line: string) => void io.stdout.write(`${line}\n`);
  const crm = program.command('crm').description('the CRM mirror that routing reads');

  crm
    .command('sync')
    .description('bring the CRM mirror up to date: a full sync when it was never filled (or with --full), else an incremental pass and the webhook queue')
    .option('--full', 'run the full sync (resumes an unfinished one)')
    .option('--restart', 'with --full: start over instead of resuming')
    .action((opts: { full?: boolean; restart?: boolean }) =>
      withMirror(io, async (ctx, db, m) => {
        if (opts.full || !(await m.mirrorFilled(db.pool))) {
          out(opts.full ? 'full sync' : 'the mirror was never filled: full sync');
          const progress = await progressReporter(io);
          const run = await m
            .withLock(db.pool, 'full', () => m.runFullSync(ctx, { restart: opts.restart === true, onProgress: (p) => progress.update(p) }))
            .finally(() => progress.stop());
          if (!run.ran) {
            io.stderr.write('ringpath: a full sync is already running in another ringpath process\n');
            io.exitCode = 1;
            return;
          }
          const r = run.value;
          out(`done${r.resumed ? ' (resumed)' : ''}: ${r.contacts} contacts and ${r.deals} deals stored, ${r.archived} deleted in the CRM, ${r.unreadablePhones} phone values unreadable`);
          return;
        }
        // waits for a pass another process may be running, then makes its own
        const run = await m.withLock(db.pool, 'incremental', async () => ({
          incremental: await m.runIncrementalSync(ctx),
          webhooks: await m.applyWebhookQueue(ctx),
        }), { wait: true });
        if (!run.ran) throw new Error('unreachable: waited for the lock');
        const { incremental, webhooks } = run.value;
        out(`done: ${incremental.contacts} contacts and ${incremental.deals} deals re-read, ${webhooks.applied} records from webhooks, ${webhooks.archived} deleted`);
      }),
    );

  crm
    .command('refresh')
    .description('reload CRM owners, deal pipelines and stages ("Refresh CRM data")')
    .action(() =>
      withMirror(io, async (ctx, _db, m) => {
        const c = await m.refreshCatalog(ctx);
        out(`${c.owners} owners, ${c.pipelines} pipelines, ${c.stages} stages, ${c.phoneProperties} phone properties`);
      }),
    );

  crm
    .command('status')
    .description('print the state of the CRM mirror and its syncs')
    .option('--json', 'print it as JSON, the object GET /api/v1/crm/sync-status answers')
    .action((opts: { json?: boolean }) =>
      withMirror(io, async (_ctx, db, m) => {
        const status = await m.mirrorStatus(db.pool);
        if (opts.json) out(JSON.stringify(status, null, 2));
        else for (const line of (await import('./format.ts')).mirrorStatusLines(status)) out(line);
      }),
    );
}
