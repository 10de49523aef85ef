// Warm before ready: what the first calls would otherwise pay for. Run once at
// start, before the SIP side takes calls and before /readyz answers ready:
// - the directory cache: employees, settings, schemes and tracking numbers;
// - every connection of the pool opened, and kept open (pg-pool's `min`), so no
//   call waits for a connection to be made and authenticated;
// - on each of those connections, the call path's named statements prepared (the
//   mirror lookup, the round-robin read and save, and the pool numbers' holds the
//   attribution reads), so no call pays for parsing and planning them.
import { MIRROR_LOOKUP_STATEMENT } from '../crm/mirror-lookup.ts';
import type { Pool } from '../db/pool.ts';
import { RECENT_HOLDS_STATEMENT } from '../dni/attribution-port.ts';
import { ROUND_ROBIN_STATEMENTS } from '../db/repositories/round-robin.ts';
import type { PlanSources } from './plan.ts';

/** What of the directory a call reads, cached (src/sip/directory.ts). */
export interface WarmableDirectory extends PlanSources {
  settings(): Promise<unknown>;
  trackingNumber(e164: string): Promise<unknown>;
}

export interface Warmed {
  readonly connections: number;
  readonly schemes: number;
  readonly trackingNumbers: number;
  readonly ms: number;
}

/** Tracking numbers cached ahead at most (the directory caches more as calls come). */
const MAX_WARM_NUMBERS = 1_000;

async function inBatches<T>(items: readonly T[], size: number, fn: (item: T) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < items.length; i += size) await Promise.all(items.slice(i, i + size).map(fn));
}

export async function warmCallPath(pool: Pool, directory: WarmableDirectory): Promise<Warmed> {
  const started = performance.now();
  const size = pool.options.max ?? 10;
  pool.options.min = size;
  const clients = await Promise.all(Array.from({ length: size }, () => pool.connect()));
  try {
    await Promise.all(
      clients.map(async (c) => {
        await c.query(MIRROR_LOOKUP_STATEMENT);
        await c.query(RECENT_HOLDS_STATEMENT);
        for (const statement of ROUND_ROBIN_STATEMENTS) await c.query(statement);
      }),
    );
  } finally {
    for (const c of clients) c.release();
  }
  const [schemes, numbers] = await Promise.all([
    pool.query<{ id: number }>('SELECT id FROM routing_schemes ORDER BY id'),
    pool.query<{ number: string }>('SELECT number FROM tracking_numbers ORDER BY id LIMIT $1', [MAX_WARM_NUMBERS]),
    directory.employees(),
    directory.settings(),
  ]);
  await inBatches(schemes.rows, size, (r) => directory.scheme(r.id));
  await inBatches(numbers.rows, size, (r) => directory.trackingNumber(r.number));
  return { connections: size, schemes: schemes.rows.length, trackingNumbers: numbers.rows.length, ms: Math.round(performance.now() - started) };
}
