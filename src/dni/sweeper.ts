// The periodic release of expired holds, run by every ringpath process; an
// advisory lock lets one of them sweep at a time. It also runs once at start, so
// holds left by a stopped process are released without waiting.
import type { Pool } from '../db/pool.ts';
import { sweepExpiredHolds } from '../db/repositories/dni-sessions.ts';
import type { Logger } from '../logger.ts';

export interface HoldSweeper {
  stop(): Promise<void>;
}

export function startHoldSweeper(opts: { pool: Pool; logger: Logger; intervalS: number }): HoldSweeper {
  const log = opts.logger.child({ component: 'dni-sweeper' });
  let running: Promise<void> | undefined;
  let stopped = false;
  const sweep = () => {
    if (running || stopped) return;
    running = sweepExpiredHolds(opts.pool)
      .then((r) => {
        if (r.numbers > 0 || r.sessions > 0) log.debug(r, 'expired holds released');
      })
      .catch((err: unknown) => log.warn({ err }, 'sweeping expired holds failed; the next sweep retries'))
      .finally(() => (running = undefined));
  };
  sweep();
  const timer = setInterval(sweep, opts.intervalS * 1000);
  timer.unref();
  return {
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
