// The INVITE pipeline. Each step either rejects with a SIP status and an
// X-Reason, or adds to the call's locals; the last step hands the call over.
import { createHash } from 'node:crypto';
import { planInboundCall } from '../calls/plan.ts';
import type { Attribution } from '../db/repositories/calls.ts';
import type { ResolvedTrackingNumber } from '../db/repositories/directory.ts';
import { roundRobinPort } from '../db/repositories/round-robin.ts';
import { findSipAccount, contactsOf, type SipAccountCredentials } from '../db/repositories/registrations.ts';
import { lookupResponsible } from '../crm/mirror-lookup.ts';
import type { Logger } from '../logger.ts';
import type { ResponsibleLookup, RoutingPlan } from '../routing/types.ts';
import type { CallDeps } from './deps.ts';
import { authenticate } from './digest.ts';
import { callerNumber, dialledNumber } from './middleware/numbers.ts';
import { scannerSignature } from './middleware/scanners.ts';
import { reject, type SipReject } from './reject.ts';
import type { SrfRequest } from './srf.ts';

export interface InviteLocals {
  readonly log: Logger;
  readonly startedAt: Date;
  origin?: { kind: 'trunk' } | { kind: 'phone'; account: SipAccountCredentials };
  caller?: string | null;
  callerRaw?: string;
  trackingNumber?: ResolvedTrackingNumber;
  attribution?: Attribution;
  plan?: RoutingPlan;
  /** The responsible-manager lookup, started as soon as the caller is known. */
  responsible?: Promise<ResponsibleLookup>;
  /** Extra headers of a rejection (digest challenges). */
  challengeHeaders?: Record<string, string>;
}

export type InviteStep = (req: SrfRequest, locals: InviteLocals, deps: CallDeps) => Promise<SipReject | undefined>;

export const dropScanners: InviteStep = async (req) => {
  const sig = scannerSignature(req.get('User-Agent'), req.get('From'));
  return sig ? reject(403, `scanner ${sig}`) : undefined;
};

const md5 = (s: string) => createHash('md5').update(s).digest('hex');

function userOf(header: string | undefined): string | undefined {
  return header ? /<?sips?:([^@;>]+)@/i.exec(header)?.[1] : undefined;
}

/**
 * Carrier INVITEs come from an allowlisted address, or authenticate with the
 * trunk's digest credentials. A registered phone authenticates with its SIP
 * account. Anything else is refused with 403.
 */
export const identifyOrigin: InviteStep = async (req, locals, deps) => {
  const ip = req.source_address;
  if (await deps.directory.trunkAllows(deps.config.sip.trunkAllowlist, ip)) {
    locals.origin = { kind: 'trunk' };
    return undefined;
  }
  const fromUser = userOf(req.get('From'));
  const account = fromUser ? await findSipAccount(deps.pool, fromUser) : undefined;
  const registeredHere =
    account !== undefined && (await contactsOf(deps.pool, account.login)).some((c) => c.sourceAddress === ip);
  const { trunkAuthUser, trunkAuthPassword } = deps.config.sip;
  if (!registeredHere && !req.has('Proxy-Authorization') && !trunkAuthUser) return reject(403, 'source not allowed');
  if (await deps.limits.lockedOut(ip)) return reject(403, 'too many failed authentications');
  const realm = deps.config.sipRealm;
  const outcome = await authenticate(req, {
    realm,
    nonces: deps.nonces,
    proxy: true,
    lookup: async (user) => {
      if (trunkAuthUser && trunkAuthPassword && user === trunkAuthUser) return md5(`${user}:${realm}:${trunkAuthPassword}`);
      const a = await findSipAccount(deps.pool, user);
      return a && a.realm === realm ? a.ha1Md5 : undefined;
    },
  });
  if (outcome.kind === 'challenge') {
    locals.challengeHeaders = outcome.headers;
    return reject(outcome.status, 'authentication required');
  }
  if (outcome.kind === 'failed') {
    await deps.limits.authFailed(ip);
    return reject(403, 'authentication failed');
  }
  await deps.limits.authSucceeded(ip);
  if (trunkAuthUser && outcome.username === trunkAuthUser) {
    locals.origin = { kind: 'trunk' };
    return undefined;
  }
  const authed = await findSipAccount(deps.pool, outcome.username);
  if (!authed) return reject(403, 'authentication failed');
  locals.origin = { kind: 'phone', account: authed };
  return undefined;
};

/** Carrier calls: the dialled tracking number and the caller, as E.164. */
export const resolveNumbers: InviteStep = async (req, locals, deps) => {
  const dialled = dialledNumber(req, deps.config.defaultCountry);
  if (!dialled.ok) return reject(404, `dialled number not recognised: ${dialled.message}`);
  const caller = callerNumber(req, deps.config.defaultCountry);
  // the mirror lookup runs while the rest of the pipeline does; routing waits for it only within its budget
  if (caller.ok) locals.responsible = lookupResponsible(deps.pool, caller.e164, deps.config.sip.lookupBudgetMs);
  const tn = await deps.directory.trackingNumber(dialled.e164);
  if (!tn) return reject(404, `${dialled.e164} is not a tracking number`);
  locals.trackingNumber = tn;
  // A withheld or garbled caller id is still a caller: route them as a new client.
  locals.caller = caller.ok ? caller.e164 : null;
  locals.callerRaw = caller.raw;
  if (!caller.ok) locals.log.info({ callerRaw: caller.raw, why: caller.message }, 'caller number not usable');
  return undefined;
};

export const attributeCall: InviteStep = async (_req, locals, deps) => {
  locals.attribution = await deps.attribution.attribute(locals.trackingNumber!, locals.startedAt);
  return undefined;
};

export const buildPlan: InviteStep = async (_req, locals, deps) => {
  const { plan, lookup } = await planInboundCall(
    { pool: deps.pool, sources: deps.directory, lookupBudgetMs: deps.config.sip.lookupBudgetMs, roundRobin: roundRobinPort(deps.pool) },
    { trackingNumber: locals.trackingNumber!, caller: locals.caller ?? null, at: locals.startedAt, lookupUnderWay: locals.responsible },
    'advance',
  );
  if (lookup?.status === 'failed' || lookup?.status === 'timeout') {
    locals.log.warn({ lookup }, 'responsible manager lookup did not answer in time; routing moves on');
  }
  locals.plan = plan;
  return undefined;
};

/** Steps every INVITE goes through, in order. */
export const ORIGIN_STEPS: readonly InviteStep[] = [dropScanners, identifyOrigin];
/** Steps of a carrier call after its origin is known. */
export const INBOUND_STEPS: readonly InviteStep[] = [resolveNumbers, attributeCall, buildPlan];
