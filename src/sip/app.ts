// The SIP application on drachtio: one pipeline for INVITEs, the registrar,
// and a proper answer for everything else. A request ringpath cannot handle
// gets a SIP error response, never a crash or a hang.
import type { Logger } from '../logger.ts';
import type { CallDeps } from './deps.ts';
import { runInboundCall } from './inbound-call.ts';
import { INBOUND_STEPS, ORIGIN_STEPS, type InviteLocals, type InviteStep } from './invite.ts';
import { inviteProblem, requiredHeadersProblem } from './middleware/request-checks.ts';
import { runPhoneCall } from './phone-call.ts';
import { handleRegister } from './registrar.ts';
import type { SipReject } from './reject.ts';
import type { SrfRequest, SrfResponse } from './srf.ts';

function sendReject(res: SrfResponse, r: SipReject, extra: Record<string, string> = {}): void {
  if (r.silent || res.finalResponseSent) return;
  res.send(r.status, { headers: { 'X-Reason': r.reason, ...extra } });
}

async function runSteps(steps: readonly InviteStep[], req: SrfRequest, locals: InviteLocals, deps: CallDeps): Promise<SipReject | undefined> {
  for (const step of steps) {
    const r = await step(req, locals, deps);
    if (r) return r;
  }
  return undefined;
}

async function handleInvite(req: SrfRequest, res: SrfResponse, deps: CallDeps): Promise<void> {
  const log = deps.logger.child({ callId: req.get('Call-ID') });
  const locals: InviteLocals = { log, startedAt: new Date() };
  const malformed = inviteProblem(req);
  if (malformed) return sendReject(res, malformed);
  const origin = await runSteps(ORIGIN_STEPS, req, locals, deps);
  if (origin) {
    if (origin.status !== 401 && origin.status !== 407) log.info({ status: origin.status, reason: origin.reason, source: req.source_address }, 'INVITE rejected');
    deps.metrics?.rejected(origin.reason);
    return sendReject(res, origin, locals.challengeHeaders);
  }
  if (locals.origin?.kind === 'phone') {
    deps.metrics?.call('outbound');
    return runPhoneCall(req, res, locals.origin.account, deps, log);
  }
  const rejected = await runSteps(INBOUND_STEPS, req, locals, deps);
  if (rejected) {
    log.info({ status: rejected.status, reason: rejected.reason }, 'INVITE rejected');
    deps.metrics?.rejected(rejected.reason);
    return sendReject(res, rejected);
  }
  deps.metrics?.call('inbound');
  await runInboundCall(
    {
      req,
      res,
      log,
      startedAt: locals.startedAt,
      caller: locals.caller ?? 'anonymous',
      callerRaw: locals.callerRaw ?? '',
      trackingNumber: locals.trackingNumber!,
      attribution: locals.attribution!,
      plan: locals.plan!,
    },
    deps,
  );
}

/** Runs a handler; a failure is logged and answered with 500, never thrown into drachtio. */
function guarded(
  name: string,
  deps: CallDeps,
  fn: (req: SrfRequest, res: SrfResponse, log: Logger) => Promise<void>,
): (req: SrfRequest, res: SrfResponse) => void {
  return (req, res) => {
    const log = deps.logger.child({ callId: req.get('Call-ID'), method: name });
    fn(req, res, log).catch((err: unknown) => {
      log.error({ err }, `${name} handling failed`);
      if (!res.finalResponseSent) res.send(500, { headers: { 'X-Reason': 'internal error' } });
    });
  };
}

type Handler = (req: SrfRequest, res: SrfResponse) => void;

export function installSipApp(deps: CallDeps): void {
  // drachtio-srf routes each method through a method-named registration (srf.register(fn), …)
  const on = (method: string, handler: Handler) =>
    (deps.srf as unknown as Record<string, (h: Handler) => void>)[method]!.call(deps.srf, handler);
  deps.srf.invite(guarded('INVITE', deps, (req, res) => handleInvite(req, res, deps)));
  on(
    'register',
    guarded('REGISTER', deps, async (req, res, log) => {
      const malformed = requiredHeadersProblem(req);
      if (malformed) return sendReject(res, malformed);
      await handleRegister(req, res, deps, log);
    }),
  );
  on('options', (_req, res) => res.send(200));
  for (const method of ['subscribe', 'publish', 'message', 'refer', 'notify', 'info', 'update']) {
    // out-of-dialog only: in-dialog requests belong to the call's dialogs
    on(method, (_req, res) => {
      if (!res.finalResponseSent) res.send(405, { headers: { Allow: 'INVITE, ACK, BYE, CANCEL, OPTIONS, REGISTER' } });
    });
  }
}
