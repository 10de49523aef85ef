// One inbound call from the carrier, after the INVITE pipeline accepted it:
// ring the plan's attempts in turn, bridge the first answer, write the CDR.
import { randomUUID } from 'node:crypto';
import type { Attribution } from '../db/repositories/calls.ts';
import { recordCall } from '../db/repositories/calls.ts';
import type { ResolvedTrackingNumber } from '../db/repositories/directory.ts';
import type { Logger } from '../logger.ts';
import { dispositionOf, foldOutcome, foldSkip, summariseLegs } from '../routing/trace.ts';
import type { AttemptResult, Destination, RoutingPlan, RoutingTrace } from '../routing/types.ts';
import { answerAndBridge } from './connect.ts';
import type { CallDeps } from './deps.ts';
import { ringLegs } from './fork.ts';
import { legsFor } from './legs.ts';
import type { MediaSession } from './media.ts';
import { describe } from './recognise.ts';
import type { SrfRequest, SrfResponse } from './srf.ts';

export interface InboundCall {
  readonly req: SrfRequest;
  readonly res: SrfResponse;
  readonly log: Logger;
  readonly startedAt: Date;
  readonly caller: string;
  readonly callerRaw: string;
  readonly trackingNumber: ResolvedTrackingNumber;
  readonly attribution: Attribution;
  readonly plan: RoutingPlan;
}

interface Answered {
  readonly employeeId: number | null;
  readonly destination: Destination;
  readonly at: Date;
}

export async function runInboundCall(call: InboundCall, deps: CallDeps): Promise<void> {
  const { req, res, log, plan } = call;
  const abort = new AbortController();
  req.on('cancel', () => {
    log.info('caller hung up while ringing');
    abort.abort();
  });

  const settings = await deps.directory.settings();
  let media: MediaSession | undefined;
  try {
    media = await deps.media.start({
      callId: req.get('Call-ID'),
      fromTag: req.getParsedHeader('From').params?.tag ?? '',
      sdp: req.body,
      record: settings.recording_enabled,
    });
  } catch (err) {
    log.warn({ err }, 'media relay unavailable; the call connects without it and is not recorded');
    deps.metrics?.mediaUnavailable();
    media = undefined;
  }
  const offer = media?.offer ?? req.body;

  let trace: RoutingTrace = [];
  let answered: Answered | undefined;
  let ringingSent = false;
  let callEnd: Promise<unknown> | undefined;

  for (const entry of plan.entries) {
    if (abort.signal.aborted) break;
    if (entry.kind === 'skip') {
      trace = foldSkip(trace, entry, Date.now());
      continue;
    }
    const startedAt = Date.now();
    const { legs, unreachable } = await legsFor(entry, { pool: deps.pool, trunkUri: deps.config.sip.trunkUri });
    log.debug({ step: entry.stepIndex, type: entry.stepType, legs: legs.map((l) => l.uri), unreachable, timeoutS: entry.ringTimeoutS }, 'ringing');
    const result = await ringLegs(deps.srf, legs, {
      localSdp: offer,
      headers: {
        From: `<sip:${call.caller}@${deps.config.sipRealm}>`,
        'X-Ringpath-Tracking-Number': call.trackingNumber.number,
      },
      timeoutMs: entry.ringTimeoutS * 1000,
      signal: abort.signal,
      onRinging: () => {
        if (!ringingSent && !res.finalResponseSent) {
          ringingSent = true;
          res.send(180);
        }
      },
    });
    log.debug({ step: entry.stepIndex, legs: result.legs.map((l) => [l.leg.uri, l.result, l.status]), stopped: result.stopped }, 'attempt finished');
    const legOutcomes = [
      ...result.legs.map((l) => ({ destination: l.leg.destination, result: l.result })),
      ...unreachable.map((u) => ({ destination: u.destination, result: u.result })),
    ];
    if (result.winner) {
      const { leg, dialog } = result.winner;
      const joined = await answerAndBridge(deps.srf, req, res, dialog, media, log);
      if (joined) {
        answered = { employeeId: leg.employeeId, destination: leg.destination, at: new Date() };
        trace = foldOutcome(trace, entry, {
          result: 'answered',
          startedAt,
          endedAt: Date.now(),
          answeredDestination: leg.destination,
          legs: legOutcomes,
        });
        log.info({ employeeId: leg.employeeId, destination: describe(leg.destination) }, 'call answered');
        callEnd = joined.ended;
      } else {
        trace = foldOutcome(trace, entry, { result: 'cancelled', startedAt, endedAt: Date.now(), legs: legOutcomes });
      }
      break;
    }
    const attemptResult: Exclude<AttemptResult, 'answered'> = abort.signal.aborted ? 'cancelled' : summariseLegs(legOutcomes.map((l) => l.result));
    trace = foldOutcome(trace, entry, { result: attemptResult, startedAt, endedAt: Date.now(), legs: legOutcomes });
  }

  if (!answered && !abort.signal.aborted && !res.finalResponseSent) {
    const busy = trace.some((t) => t.result === 'busy') && !trace.some((t) => t.result === 'no_answer');
    res.send(busy ? 486 : 480, { headers: { 'X-Reason': busy ? 'all destinations busy' : 'nobody answered' } });
  }
  if (callEnd) await callEnd;
  const endedAt = new Date();
  const recordingPath = media ? await media.end().catch(() => undefined) : undefined;

  const disposition = abort.signal.aborted && !answered ? 'abandoned' : dispositionOf(trace);
  const employees = await deps.directory.employees();
  const party = answered ? employees.recogniser.identify(answered.destination) : undefined;
  await recordCall(
    deps.pool,
    {
      id: randomUUID(),
      sipCallId: req.get('Call-ID'),
      direction: 'inbound',
      caller: call.caller,
      callee: call.trackingNumber.number,
      callerRaw: call.callerRaw,
      trackingNumberId: call.trackingNumber.id,
      trackingNumber: call.trackingNumber.number,
      attribution: call.attribution,
      routingTrace: trace,
      answeredByEmployeeId: answered?.employeeId ?? (party?.kind === 'employee' ? party.employeeId : null),
      answeredByDestination: answered ? describe(answered.destination) : null,
      placedByEmployeeId: null,
      unknownEmployee: answered !== undefined && answered.employeeId === null && party?.kind !== 'employee',
      startedAt: call.startedAt,
      answeredAt: answered?.at ?? null,
      endedAt,
      ringDurationMs: (answered?.at ?? endedAt).getTime() - call.startedAt.getTime(),
      talkDurationMs: answered ? endedAt.getTime() - answered.at.getTime() : 0,
      disposition,
      recordingPath: recordingPath ?? null,
    },
    { crmSync: deps.crmSync },
  );
  log.info({ disposition }, 'call ended');
}
