// Calls placed from an authenticated manager's phone. Whether and where the
// call goes is decided by the pure core (planPhoneCall in src/calls/phone-plan.ts);
// this adapter rings the plan's one attempt, bridges the answer and stores the
// record the core builds.
import { randomUUID } from 'node:crypto';
import { blockedCallRecord, describeRefusal, dialPlanPolicy, type DialPlanRefusal } from '../calls/dial-plan.ts';
import { planPhoneCall, type PhonePlan } from '../calls/phone-plan.ts';
import { buildCallRecord, noAttribution, unansweredResponse } from '../calls/record.ts';
import type { Logger } from '../logger.ts';
import { foldOutcome, summariseLegs } from '../routing/trace.ts';
import type { AttemptOutcome, Destination } from '../routing/types.ts';
import { answerAndBridge } from './connect.ts';
import type { CallDeps } from './deps.ts';
import { ringLegs } from './fork.ts';
import { legsFor } from './legs.ts';
import type { SipAccountCredentials } from './ports.ts';
import type { SipReject } from './reject.ts';
import type { SrfRequest, SrfResponse } from './srf.ts';
import { storeCall } from './store-call.ts';

/** The plan of a call from this account's phone, read from the directory. */
export async function phoneCallPlan(req: SrfRequest, account: SipAccountCredentials, deps: CallDeps, at: Date): Promise<PhonePlan> {
  const [{ list: employees }, settings, priorityNumber] = await Promise.all([
    deps.directory.employees(),
    deps.directory.settings(),
    deps.directory.callerIdOf(account.employeeId),
  ]);
  return planPhoneCall({
    placedById: account.employeeId,
    requestUri: req.uri,
    employees,
    defaultCountry: deps.config.defaultCountry,
    trunkConfigured: Boolean(deps.config.sip.trunkUri),
    priorityNumber,
    trunkDefaultCallerId: settings.trunk_default_caller_id ?? null,
    dialPlan: dialPlanPolicy(settings, deps.config.defaultCountry),
    at,
  });
}

/** A call the dial plan refused: counted by rule, stored as blocked, answered 403 DIAL_PLAN_BLOCKED. */
async function refuseBlocked(
  req: SrfRequest,
  call: { placedBy: { id: number }; dialled: string; callerId: string | null },
  refusal: DialPlanRefusal,
  deps: CallDeps,
  log: Logger,
  at: Date,
): Promise<SipReject> {
  deps.metrics?.dialPlanBlocked(refusal.rule);
  const record = blockedCallRecord({
    id: randomUUID(),
    sipCallId: req.get('Call-ID'),
    callerId: call.callerId,
    calleeE164: call.dialled,
    callerRaw: req.get('From') ?? null,
    placedByEmployeeId: call.placedBy.id,
    at,
    refusal,
  });
  await storeCall(deps, record, log);
  return { status: 403, code: 'DIAL_PLAN_BLOCKED', detail: describeRefusal(refusal) };
}

/** Runs a phone's call; answers a refusal as a SipReject for the pipeline to send. */
export async function runPhoneCall(
  req: SrfRequest,
  res: SrfResponse,
  account: SipAccountCredentials,
  deps: CallDeps,
  log: Logger,
): Promise<SipReject | undefined> {
  const startedAt = new Date();
  const planned = await phoneCallPlan(req, account, deps, startedAt);
  if (planned.kind === 'refuse') return { status: planned.status, code: planned.code, detail: planned.detail };
  if (planned.kind === 'blocked') return refuseBlocked(req, planned, planned.refusal, deps, log, startedAt);
  if (planned.kind === 'outbound') {
    const settings = await deps.directory.settings();
    const rate = await deps.dialRate.allow(account.login, settings.dial_plan_calls_per_minute);
    if (!rate.allowed) {
      const refusal: DialPlanRefusal = {
        allowed: false,
        code: 'DIAL_PLAN_BLOCKED',
        rule: 'rate',
        reason: `more than ${settings.dial_plan_calls_per_minute} new outbound calls a minute from ${account.login}; retry in ${rate.retryAfterS} s`,
      };
      return refuseBlocked(req, { placedBy: planned.placedBy, dialled: planned.dialled, callerId: planned.callerId }, refusal, deps, log, startedAt);
    }
  }
  const { attempt, kind: direction } = planned;
  const { legs, unreachable } = await legsFor(attempt, { registrations: deps.registrations, trunkUri: deps.config.sip.trunkUri });
  if (legs.length === 0) {
    return { status: 480, code: 'NO_REACHABLE_DESTINATION', detail: unreachable.map((u) => u.why).join('; ') || 'nothing to ring' };
  }
  deps.metrics?.call(direction);

  const abort = new AbortController();
  req.on('cancel', () => abort.abort());
  const settings = await deps.directory.settings();
  const media = await deps.media
    .start({ callId: req.get('Call-ID'), fromTag: '', sdp: req.body, record: settings.recording_enabled && direction === 'outbound' })
    .catch((err: unknown) => {
      log.warn({ err }, 'media relay unavailable; the call connects without it and is not recorded');
      deps.metrics?.mediaUnavailable();
      return undefined;
    });
  const ringStarted = Date.now();
  const result = await ringLegs(deps.srf, legs, {
    localSdp: media?.offer ?? req.body,
    headers: { From: `<sip:${planned.callerId ?? 'anonymous'}@${deps.config.sipRealm}>` },
    timeoutMs: attempt.ringTimeoutS * 1000,
    signal: abort.signal,
    onRinging: () => {
      if (!res.finalResponseSent) res.send(180);
    },
  });

  let answered: { destination: Destination; at: Date; employeeId: number | null } | undefined;
  if (result.winner) {
    const joined = await answerAndBridge(deps.srf, req, res, result.winner.dialog, media, log);
    if (joined) {
      answered = { destination: result.winner.leg.destination, at: new Date(), employeeId: result.winner.leg.employeeId };
      await joined.ended;
    } else {
      abort.abort();
    }
  }
  const endedAt = new Date();
  const recordingPath = media ? await media.end().catch(() => undefined) : undefined;
  const legOutcomes = [
    ...result.legs.map((l) => ({ destination: l.leg.destination, result: l.result })),
    ...unreachable.map((u) => ({ destination: u.destination, result: u.result })),
  ];
  const outcome: AttemptOutcome = answered
    ? { result: 'answered', startedAt: ringStarted, endedAt: endedAt.getTime(), answeredDestination: answered.destination, legs: legOutcomes }
    : { result: abort.signal.aborted ? 'cancelled' : summariseLegs(legOutcomes.map((l) => l.result)), startedAt: ringStarted, endedAt: endedAt.getTime(), legs: legOutcomes };
  const trace = foldOutcome([], attempt, outcome);
  if (!answered && !abort.signal.aborted && !res.finalResponseSent) {
    const { status, code } = unansweredResponse(trace);
    res.send(status, { headers: { 'X-Reason': code } });
  }
  const { recogniser } = await deps.directory.employees();
  const record = buildCallRecord(
    {
      id: randomUUID(),
      sipCallId: req.get('Call-ID'),
      direction,
      caller: direction === 'outbound' && planned.callerId ? { kind: 'number', e164: planned.callerId } : { kind: 'none' },
      callerRaw: req.get('From') ?? null,
      callee: planned.kind === 'outbound' ? { kind: 'number', e164: planned.dialled } : { kind: 'none' },
      trackingNumber: planned.kind === 'outbound' && planned.callerId ? { id: null, number: planned.callerId } : null,
      attribution: noAttribution(direction),
      placedByEmployeeId: planned.placedBy.id,
      trace,
      ...(answered ? { answered } : {}),
      callerHungUp: abort.signal.aborted,
      startedAt,
      endedAt,
      recordingPath: recordingPath ?? null,
    },
    recogniser,
  );
  await storeCall(deps, record, log);
  log.info({ direction, disposition: record.disposition }, 'call ended');
  return undefined;
}
