// Heartbeats, coalesced: those that arrive while others are at the database leave
// together as one statement (heartbeatMany); a lone one leaves at once.
import type { Queryable } from '../db/pool.ts';
import { heartbeat, heartbeatMany, type HeartbeatOutcome } from '../db/repositories/dni-sessions.ts';
import { Coalescer } from './coalesce.ts';

const MAX_BATCH = 128;
const LANES = 4;

export class Heartbeats {
  private readonly coalescer: Coalescer<{ publicId: string; origin: string }, HeartbeatOutcome>;

  constructor(db: Queryable) {
    this.coalescer = new Coalescer(
      async (batch) => (batch.length === 1 ? [await heartbeat(db, batch[0]!.publicId, batch[0]!.origin)] : heartbeatMany(db, batch)),
      { maxBatch: MAX_BATCH, lanes: LANES },
    );
  }

  /** Extend a live session's hold; see heartbeat() for what is refused. */
  beat(publicId: string, origin: string): Promise<HeartbeatOutcome> {
    return this.coalescer.submit({ publicId, origin });
  }
}
