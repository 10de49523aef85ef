// `ringpath crm sync [--full]`, `ringpath crm refresh`, `ringpath crm status`:
// the CRM mirror from the command line. Progress goes to stdout, logs to stderr.
import type { Command } from 'commander';
import { loadConfig, type Config } from '../config.ts';
import { createHubSpotGateway } from '../crm/hubspot/client.ts';
import { runFullSync, type FullSyncProgress } from '../crm/mirror/full-sync.ts';
import { runIncrementalSync } from '../crm/mirror/incremental.ts';
import { mirrorContext } from '../crm/mirror/index.ts';
import { withLock } from '../crm/mirror/lock.ts';
import { refreshCatalog } from '../crm/mirror/refresh.ts';
import { mirrorFilled } from '../crm/mirror/state.ts';
import { mirrorStatus } from '../crm/mirror/status.ts';
import type { MirrorContext } from '../crm/mirror/types.ts';
import { applyWebhookQueue } from '../crm/mirror/webhook-queue.ts';
import { openDatabase, type Database } from '../db/database.ts';
import { createLogger } from '../logger.ts';

const out = (line: string) => void process.stdout.write(`${line}\n`);

export function progressLine(p: FullSyncProgress): string {
  const pct = p.total ? ` (${Math.min(100, Math.round((p.processed / p.total) * 100))}%)` : '';
  return `${p.phase}: ${p.processed}/${p.total ?? '?'}${pct}`;
}

/** Opens the database and the CRM, runs fn, closes; exit code 2 when CRM sync is off. */
async function withMirror(fn: (ctx: MirrorContext, db: Database, config: Config) => Promise<void>): Promise<void> {
  const config = loadConfig();
  if (!config.crm.hubspotToken) {
    process.stderr.write('ringpath: CRM sync is off: set HUBSPOT_TOKEN\n');
    process.exitCode = 2;
    return;
  }
  const logger = createLogger(config.logLevel, process.stderr);
  const db = await openDatabase(config, logger);
  try {
    const gateway = createHubSpotGateway(config.crm, db.pool, logger);
    await fn(mirrorContext({ config, pool: db.pool, logger, gateway }), db, config);
  } finally {
    logger.flush();
    await db.close();
  }
}

export function registerCrmCommands(program: Command): void {
  const crm = program.command('crm').description('the CRM mirror that routing reads');

  crm
    .command('sync')
    .description('bring the CRM mirror up to date: a full sync when it was never filled (or with --full), else an incremental pass and the webhook queue')
    .option('--full', 'run the full sync (resumes an unfinished one)')
    .option('--restart', 'with --full: start over instead of resuming')
    .action((opts: { full?: boolean; restart?: boolean }) =>
      withMirror(async (ctx, db) => {
        if (opts.full || !(await mirrorFilled(db.pool))) {
          out(opts.full ? 'full sync' : 'the mirror was never filled: full sync');
          const run = await withLock(db.pool, 'full', () =>
            runFullSync(ctx, { restart: opts.restart === true, onProgress: (p) => out(progressLine(p)) }),
          );
          if (!run.ran) {
            process.stderr.write('ringpath: a full sync is already running in another ringpath process\n');
            process.exitCode = 1;
            return;
          }
          const r = run.value;
          out(`done${r.resumed ? ' (resumed)' : ''}: ${r.contacts} contacts and ${r.deals} deals stored, ${r.archived} deleted in the CRM, ${r.unreadablePhones} phone values unreadable`);
          return;
        }
        // waits for a pass another process may be running, then makes its own
        const run = await withLock(db.pool, 'incremental', async () => ({
          incremental: await runIncrementalSync(ctx),
          webhooks: await applyWebhookQueue(ctx),
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
      withMirror(async (ctx) => {
        const c = await refreshCatalog(ctx);
        out(`${c.owners} owners, ${c.pipelines} pipelines, ${c.stages} stages, ${c.phoneProperties} phone properties`);
      }),
    );

  crm
    .command('status')
    .description('print the CRM mirror sync status as JSON')
    .action(() =>
      withMirror(async (_ctx, db) => {
        out(JSON.stringify(await mirrorStatus(db.pool), null, 2));
      }),
    );
}
