// The SIP application on drachtio: one pipeline for INVITEs, the registrar,
// and a proper answer for everything else. A request ringpath cannot handle
// gets a SIP error response, never a crash or a hang.
import type { Logger } from '../logger.ts';
import type { CallDeps } from './deps.ts';
import { runInboundCall } from './inbound-call.ts';
import { dropScanners, INBOUND_STEPS, ORIGIN_STEPS, type InviteLocals, type InviteStep } from './invite.ts';
import { inviteProblem, requiredHeadersProblem } from './middleware/request-checks.ts';
import { runPhoneCall } from './phone-call.ts';
import { handleRegister } from './registrar.ts';
import type { SipReject } from './reject.ts';
import type { SrfRequest, SrfResponse } from './srf.ts';
import { answerUnreadableRequests } from './unreadable.ts';

/** Methods ringpath answers outside a dialog. */
export const ALLOWED_METHODS = 'INVITE, ACK, BYE, CANCEL, OPTIONS, REGISTER';

/** Sends a rejection with its X-Reason code, logs it (challenges aside) and counts it. */
function refuse(res: SrfResponse, r: SipReject, deps: CallDeps, log: Logger, req: SrfRequest, extra: Record<string, string> = {}): void {
  if (r.status !== 401 && r.status !== 407) log.info({ status: r.status, code: r.code, detail: r.detail, source: req.source_address }, `${req.method} rejected`);
  deps.metrics?.rejected(r.code);
  if (r.silent || res.finalResponseSent) return;
  res.send(r.status, { headers: { 'X-Reason': r.code, ...extra } });
}

async function runSteps(steps: readonly InviteStep[], req: SrfRequest, locals: InviteLocals, deps: CallDeps): Promise<SipReject | undefined> {
  for (const step of steps) {
    const r = await step(req, locals, deps);
    if (r) return r;
  }
  return undefined;
}

/** One new INVITE, from its checks to the stored call. */
export async function handleInvite(req: SrfRequest, res: SrfResponse, deps: CallDeps, log: Logger): Promise<void> {
  const locals: InviteLocals = { log, startedAt: new Date() };
  const malformed = inviteProblem(req);
  if (malformed) return refuse(res, malformed, deps, log, req);
  const origin = await runSteps(ORIGIN_STEPS, req, locals, deps);
  if (origin) return refuse(res, origin, deps, log, req, locals.challengeHeaders);
  if (locals.origin?.kind === 'phone') {
    const refused = await runPhoneCall(req, res, locals.origin.account, deps, log);
    if (refused) refuse(res, refused, deps, log, req);
    return;
  }
  const rejected = await runSteps(INBOUND_STEPS, req, locals, deps);
  if (rejected) return refuse(res, rejected, deps, log, req);
  deps.metrics?.call('inbound');
  await runInboundCall(
    {
      req,
      res,
      log,
      startedAt: locals.startedAt,
      caller: locals.caller!,
      callerRaw: locals.callerRaw ?? '',
      trackingNumber: locals.trackingNumber!,
      attribution: locals.attribution!,
      planned: locals.planned!,
    },
    deps,
  );
}

/** OPTIONS: scanners are refused like their INVITEs; anyone else learns ringpath is up. */
export async function handleOptions(req: SrfRequest, res: SrfResponse, deps: CallDeps, log: Logger): Promise<void> {
  const scanner = await dropScanners(req, { log, startedAt: new Date() }, deps);
  if (scanner) return refuse(res, scanner, deps, log, req);
  res.send(200, { headers: { Allow: ALLOWED_METHODS } });
}

/** Runs a handler; a failure is logged and answered with 500, never thrown into drachtio. */
export function guarded(
  name: string,
  deps: CallDeps,
  fn: (req: SrfRequest, res: SrfResponse, log: Logger) => Promise<void>,
): (req: SrfRequest, res: SrfResponse) => void {
  return (req, res) => {
    const log = deps.logger.child({ callId: req.get('Call-ID'), method: name });
    let pending: Promise<void>;
    try {
      pending = fn(req, res, log);
    } catch (err) {
      pending = Promise.reject(err);
    }
    pending.catch((err: unknown) => {
      log.error({ err }, `${name} handling failed`);
      deps.metrics?.rejected('INTERNAL_ERROR');
      if (!res.finalResponseSent) res.send(500, { headers: { 'X-Reason': 'INTERNAL_ERROR' } });
    });
  };
}

type Handler = (req: SrfRequest, res: SrfResponse) => void;

export function installSipApp(deps: CallDeps): void {
  // drachtio-srf routes each method through a method-named registration (srf.register(fn), …)
  const on = (method: string, handler: Handler) =>
    (deps.srf as unknown as Record<string, (h: Handler) => void>)[method]!.call(deps.srf, handler);
  answerUnreadableRequests(deps.srf, deps.logger, () => deps.metrics?.rejected('MALFORMED_REQUEST'));
  deps.srf.invite(guarded('INVITE', deps, (req, res, log) => handleInvite(req, res, deps, log)));
  on(
    'register',
    guarded('REGISTER', deps, async (req, res, log) => {
      const malformed = requiredHeadersProblem(req);
      if (malformed) return refuse(res, malformed, deps, log, req);
      await handleRegister(req, res, deps, log);
    }),
  );
  on('options', guarded('OPTIONS', deps, (req, res, log) => handleOptions(req, res, deps, log)));
  for (const method of ['subscribe', 'publish', 'message', 'refer', 'notify', 'info', 'update']) {
    // out-of-dialog only: in-dialog requests belong to the call's dialogs
    on(method, (_req, res) => {
      if (!res.finalResponseSent) res.send(405, { headers: { Allow: ALLOWED_METHODS, 'X-Reason': 'METHOD_NOT_ALLOWED' } });
    });
  }
}
