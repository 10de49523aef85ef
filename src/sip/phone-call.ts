// Calls placed from an authenticated manager's phone: a 3-digit extension rings
// that employee's main destinations (internal); any other number goes out on
// the trunk with the employee's priority tracking number as caller id (outbound).
import { randomUUID } from 'node:crypto';
import { recordCall, type CallDirection } from '../db/repositories/calls.ts';
import type { SipAccountCredentials } from '../db/repositories/registrations.ts';
import type { Logger } from '../logger.ts';
import { normalizePhone } from '../phone/index.ts';
import { dispositionOf, foldOutcome, summariseLegs } from '../routing/trace.ts';
import type { Attempt, AttemptOutcome, Destination } from '../routing/types.ts';
import { answerAndBridge } from './connect.ts';
import type { CallDeps } from './deps.ts';
import { ringLegs, type Leg } from './fork.ts';
import { legsFor, trunkLeg } from './legs.ts';
import { dialledExtension } from './middleware/numbers.ts';
import { describe } from './recognise.ts';
import type { SrfRequest, SrfResponse } from './srf.ts';

const INTERNAL_RING_S = 60;
const OUTBOUND_RING_S = 120;

/** The caller id of an employee's outbound calls: their priority tracking number, else the trunk's default. */
async function outboundCallerId(deps: CallDeps, employeeId: number): Promise<string | null> {
  const { rows } = await deps.pool.query<{ number: string }>(
    'SELECT number FROM tracking_numbers WHERE caller_id_for_employee_id = $1 ORDER BY id LIMIT 1',
    [employeeId],
  );
  return rows[0]?.number ?? (await deps.directory.settings()).trunk_default_caller_id ?? null;
}

export async function runPhoneCall(
  req: SrfRequest,
  res: SrfResponse,
  account: SipAccountCredentials,
  deps: CallDeps,
  log: Logger,
): Promise<void> {
  const startedAt = new Date();
  const { list: employees } = await deps.directory.employees();
  const placedBy = employees.find((e) => e.id === account.employeeId);
  if (!placedBy || placedBy.salesRole === 'quality_control') {
    res.send(403, { headers: { 'X-Reason': 'quality control employees cannot place calls' } });
    return;
  }

  let direction: CallDirection;
  let legs: Leg[];
  let callee: string | null;
  let callerId: string | null;
  let attempt: Attempt;
  const extension = dialledExtension(req);
  if (extension) {
    const callee_ = employees.find((e) => e.extension === extension);
    if (!callee_) {
      res.send(404, { headers: { 'X-Reason': `extension ${extension} does not exist` } });
      return;
    }
    if (callee_.id === placedBy.id) {
      res.send(486, { headers: { 'X-Reason': 'calling your own extension' } });
      return;
    }
    direction = 'internal';
    callee = null;
    callerId = extension;
    attempt = {
      kind: 'attempt',
      stepIndex: 0,
      stepType: 'employees',
      ringTimeoutS: INTERNAL_RING_S,
      targets: [{ employeeId: callee_.id, destinations: [...callee_.mainDestinations] }],
      reason: `extension ${extension}`,
      excluded: [],
    };
    legs = (await legsFor(attempt, { pool: deps.pool, trunkUri: deps.config.sip.trunkUri })).legs;
  } else {
    const dialled = normalizePhone(req.uri, { defaultCountry: deps.config.defaultCountry });
    if (!dialled.ok) {
      res.send(484, { headers: { 'X-Reason': `dialled number not usable: ${dialled.message}` } });
      return;
    }
    if (!deps.config.sip.trunkUri) {
      res.send(503, { headers: { 'X-Reason': 'no trunk is configured for outbound calls' } });
      return;
    }
    direction = 'outbound';
    callee = dialled.e164;
    callerId = await outboundCallerId(deps, placedBy.id);
    const destination: Destination = { type: 'phone', number: dialled.e164 };
    attempt = {
      kind: 'attempt',
      stepIndex: 0,
      stepType: 'external_number',
      ringTimeoutS: OUTBOUND_RING_S,
      targets: [{ employeeId: null, destinations: [destination] }],
      reason: `outbound via trunk as ${callerId ?? 'no caller id'}`,
      excluded: [],
    };
    legs = [{ employeeId: null, destination, ...trunkLeg(deps.config.sip.trunkUri, dialled.e164) }];
  }
  if (legs.length === 0) {
    res.send(480, { headers: { 'X-Reason': 'the called employee has no reachable destination' } });
    return;
  }

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
  const fromUser = callerId ?? 'anonymous';
  const result = await ringLegs(deps.srf, legs, {
    localSdp: media?.offer ?? req.body,
    headers: { From: `<sip:${fromUser}@${deps.config.sipRealm}>` },
    timeoutMs: attempt.ringTimeoutS * 1000,
    signal: abort.signal,
    onRinging: () => {
      if (!res.finalResponseSent) res.send(180);
    },
  });

  let answeredAt: Date | null = null;
  let answeredDestination: Destination | undefined;
  if (result.winner) {
    const joined = await answerAndBridge(deps.srf, req, res, result.winner.dialog, media, log);
    if (joined) {
      answeredAt = new Date();
      answeredDestination = result.winner.leg.destination;
      await joined.ended;
    }
  } else if (!abort.signal.aborted && !res.finalResponseSent) {
    const busy = result.legs.some((l) => l.result === 'busy');
    res.send(busy ? 486 : 480);
  }
  const endedAt = new Date();
  const recordingPath = media ? await media.end().catch(() => undefined) : undefined;
  // the same trace and disposition rules as routed calls (src/routing/trace.ts)
  const legOutcomes = result.legs.map((l) => ({ destination: l.leg.destination, result: l.result }));
  const outcome: AttemptOutcome = answeredDestination
    ? { result: 'answered', startedAt: ringStarted, endedAt: endedAt.getTime(), answeredDestination, legs: legOutcomes }
    : {
        result: abort.signal.aborted ? 'cancelled' : summariseLegs(legOutcomes.map((l) => l.result)),
        startedAt: ringStarted,
        endedAt: endedAt.getTime(),
        legs: legOutcomes,
      };
  const trace = foldOutcome([], attempt, outcome);
  const disposition = dispositionOf(trace);
  const target = attempt.targets[0]!;
  await recordCall(
    deps.pool,
    {
      id: randomUUID(),
      sipCallId: req.get('Call-ID'),
      direction,
      caller: direction === 'outbound' ? callerId : null,
      callee,
      callerRaw: req.get('From') ?? null,
      trackingNumberId: null,
      trackingNumber: direction === 'outbound' ? callerId : null,
      attribution: { kind: 'none', confidence: 'none', label: direction },
      routingTrace: trace,
      answeredByEmployeeId: direction === 'internal' && answeredAt ? target.employeeId : null,
      answeredByDestination: answeredDestination ? describe(answeredDestination) : null,
      placedByEmployeeId: placedBy.id,
      unknownEmployee: false,
      startedAt,
      answeredAt,
      endedAt,
      ringDurationMs: (answeredAt ?? endedAt).getTime() - startedAt.getTime(),
      talkDurationMs: answeredAt ? endedAt.getTime() - answeredAt.getTime() : 0,
      disposition,
      recordingPath: recordingPath ?? null,
    },
    { crmSync: deps.crmSync },
  );
  log.info({ direction, disposition }, 'call ended');
}
