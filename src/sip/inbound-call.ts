// One inbound call from the carrier, after the INVITE pipeline accepted it:
// ring the plan's attempts in turn, bridge the first answer, store the CDR.
// What to answer and what to store is decided by the pure core
// (src/calls/record.ts); this adapter only rings, bridges and stores.
import { randomUUID } from 'node:crypto';
import type { CallPlan } from '../calls/plan.ts';
import { buildCallRecord, unansweredResponse, type Attribution, type PartyNumber } from '../calls/record.ts';
import type { ResolvedTrackingNumber } from '../db/repositories/directory.ts';
import type { Logger } from '../logger.ts';
import { describeDestination } from '../routing/targets.ts';
import { foldOutcome, foldSkip, summariseLegs } from '../routing/trace.ts';
import type { Destination, RoutingTrace } from '../routing/types.ts';
import { answerAndBridge } from './connect.ts';
import type { CallDeps } from './deps.ts';
import { ringLegs } from './fork.ts';
import { legsFor } from './legs.ts';
import type { MediaSession } from './media.ts';
import type { SrfRequest, SrfResponse } from './srf.ts';
import { emitEvent, storeCall } from './store-call.ts';
import { answeredEvent, startedEvent, type CallStart } from '../outbound/events.ts';

export interface InboundCall {
  readonly req: SrfRequest;
  readonly res: SrfResponse;
  readonly log: Logger;
  readonly startedAt: Date;
  readonly caller: PartyNumber;
  readonly callerRaw: string;
  readonly trackingNumber: ResolvedTrackingNumber;
  readonly attribution: Attribution;
  readonly planned: CallPlan;
}

export async function runInboundCall(call: InboundCall, deps: CallDeps): Promise<void> {
  const { req, res, log } = call;
  const plan = call.planned.plan;
  const callId = randomUUID();
  const start: CallStart = {
    callId,
    direction: 'inbound',
    caller: call.caller.kind === 'number' ? call.caller.e164 : null,
    trackingNumber: call.trackingNumber.number,
    startedAt: call.startedAt,
    attribution: call.attribution,
  };
  // Announced off the ringing path (queuing an event is database work the caller
  // need not wait for), in order: each event is queued after the one before it,
  // and the call's record (with call.ended) after all of them.
  let announced = emitEvent(deps, log, startedEvent(start, new Date()));
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
  const callerUser = call.caller.kind === 'number' ? call.caller.e164 : 'anonymous';

  let trace: RoutingTrace = [];
  let answered: { destination: Destination; at: Date; employeeId: number | null } | undefined;
  let ringingSent = false;
  let callEnd: Promise<unknown> | undefined;

  for (const entry of plan.entries) {
    if (abort.signal.aborted) break;
    if (entry.kind === 'skip') {
      trace = foldSkip(trace, entry, Date.now());
      continue;
    }
    const startedAt = Date.now();
    const { legs, unreachable } = await legsFor(entry, { registrations: deps.registrations, trunkUri: deps.config.sip.trunkUri });
    log.debug({ step: entry.stepIndex, type: entry.stepType, legs: legs.map((l) => l.uri), unreachable, timeoutS: entry.ringTimeoutS }, 'ringing');
    const result = await ringLegs(deps.srf, legs, {
      localSdp: offer,
      headers: {
        From: `<sip:${callerUser}@${deps.config.sipRealm}>`,
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
        answered = { destination: leg.destination, at: new Date(), employeeId: leg.employeeId };
        trace = foldOutcome(trace, entry, { result: 'answered', startedAt, endedAt: Date.now(), answeredDestination: leg.destination, legs: legOutcomes });
        log.info({ employeeId: leg.employeeId, destination: describeDestination(leg.destination) }, 'call answered');
        const at = answered.at;
        announced = announced.then(() => emitEvent(deps, log, answeredEvent(start, at, leg.employeeId)));
        callEnd = joined.ended;
      } else {
        abort.abort(); // the caller left as the call was answered
        trace = foldOutcome(trace, entry, { result: 'cancelled', startedAt, endedAt: Date.now(), legs: legOutcomes });
      }
      break;
    }
    const attemptResult = abort.signal.aborted ? 'cancelled' : summariseLegs(legOutcomes.map((l) => l.result));
    trace = foldOutcome(trace, entry, { result: attemptResult, startedAt, endedAt: Date.now(), legs: legOutcomes });
  }

  if (!answered && !abort.signal.aborted && !res.finalResponseSent) {
    const { status, code } = unansweredResponse(trace);
    res.send(status, { headers: { 'X-Reason': code } });
  }
  if (callEnd) await callEnd;
  const endedAt = new Date();
  const recordingPath = media ? await media.end().catch(() => undefined) : undefined;

  const { recogniser } = await deps.directory.employees();
  const record = buildCallRecord(
    {
      id: callId,
      sipCallId: req.get('Call-ID'),
      direction: 'inbound',
      caller: call.caller,
      callerRaw: call.callerRaw,
      callee: { kind: 'number', e164: call.trackingNumber.number },
      trackingNumber: { id: call.trackingNumber.id, number: call.trackingNumber.number },
      attribution: call.attribution,
      responsibleEmployeeId: plan.responsibleManagerId,
      trace,
      ...(answered ? { answered } : {}),
      callerHungUp: abort.signal.aborted,
      startedAt: call.startedAt,
      endedAt,
      recordingPath: recordingPath ?? null,
    },
    recogniser,
  );
  await announced;
  await storeCall(deps, record, log);
  log.info({ disposition: record.disposition }, 'call ended');
}
