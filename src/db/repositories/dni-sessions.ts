// The DNI hot path in PostgreSQL: a site's settings by public key, the visitor's
// last session, and allocation, heartbeat and sweep as one statement each, so
// that they are atomic across ringpath processes without a transaction around
// them and cost one round trip.
export * from './dni-sessions/types.ts';
export * from './dni-sessions/reads.ts';
export * from './dni-sessions/allocate.ts';
export * from './dni-sessions/holds.ts';
