// Stored calls for export tests: a finished inbound call, attributed to a
// visitor session when one is given, written the way call handling writes it.
import { randomUUID } from 'node:crypto';
import { Recogniser } from '../../src/calls/recognise.ts';
import { buildCallRecord, type Attribution, type CallRecord } from '../../src/calls/record.ts';
import { recordCall } from '../../src/db/repositories/calls.ts';
import type { Pool } from '../../src/db/pool.ts';

export interface StoredCallSpec {
  readonly startedAt: Date;
  readonly talkS: number;
  readonly caller?: string;
  readonly attribution: Attribution;
}

export async function storedCall(pool: Pool, s: StoredCallSpec): Promise<string> {
  const record = finishedCall(s);
  await recordCall(pool, record, { crmSync: false });
  return record.id;
}

/** The record call handling builds for such a call (not stored). */
export function finishedCall(s: StoredCallSpec): CallRecord {
  const id = randomUUID();
  const answeredAt = s.talkS > 0 ? new Date(s.startedAt.getTime() + 8000) : null;
  return buildCallRecord(
    {
      id,
      sipCallId: `${id}@carrier`,
      direction: 'inbound',
      caller: { kind: 'number', e164: s.caller ?? '+380501234567' },
      callerRaw: null,
      callee: { kind: 'number', e164: '+380441234567' },
      trackingNumber: { id: null, number: '+380441234567' },
      attribution: s.attribution,
      trace: [],
      ...(answeredAt ? { answered: { destination: { type: 'phone' as const, number: '+380671110001' }, at: answeredAt } } : {}),
      callerHungUp: answeredAt === null,
      startedAt: s.startedAt,
      endedAt: new Date((answeredAt ?? s.startedAt).getTime() + s.talkS * 1000),
      recordingPath: null,
    },
    new Recogniser([]),
  );
}

/** The attribution a call gets from a visitor session with these ids. */
export function sessionAttribution(sessionId: number, ids: { gaClientId?: string | null; gclid?: string | null; gbraid?: string | null; wbraid?: string | null }): Attribution {
  return {
    confidence: 'exact',
    label: 'google / cpc',
    visitorSessionId: sessionId,
    source: 'google',
    medium: 'cpc',
    campaign: 'summer',
    gaClientId: ids.gaClientId ?? null,
    gclid: ids.gclid ?? null,
    gbraid: ids.gbraid ?? null,
    wbraid: ids.wbraid ?? null,
  };
}
