// The INVITE pipeline. Each step either rejects with a SIP status and a stable
// X-Reason code, or adds to the call's locals; the last step hands the call over.
import { createHash } from 'node:crypto';
import type { CallPlan } from '../calls/plan.ts';
import type { PartyNumber } from '../calls/record.ts';
import type { Attribution } from '../calls/record.ts';
import type { ResolvedTrackingNumber } from '../db/repositories/directory.ts';
import type { Logger } from '../logger.ts';
import type { ResponsibleLookup } from '../routing/types.ts';
import type { CallDeps } from './deps.ts';
import { authenticate } from './digest.ts';
import { callerNumber, dialledNumber } from './middleware/numbers.ts';
import { scannerSignature } from './middleware/scanners.ts';
import type { SipAccountCredentials } from './ports.ts';
import { reject, type SipReject } from './reject.ts';
import type { SrfRequest } from './srf.ts';

export interface InviteLocals {
  readonly log: Logger;
  readonly startedAt: Date;
  origin?: { kind: 'trunk' } | { kind: 'phone'; account: SipAccountCredentials };
  caller?: PartyNumber;
  callerRaw?: string;
  trackingNumber?: ResolvedTrackingNumber;
  attribution?: Attribution;
  planned?: CallPlan;
  /** The responsible-manager lookup, started as soon as the caller is known. */
  responsible?: Promise<ResponsibleLookup>;
  /** Extra headers of a rejection (digest challenges). */
  challengeHeaders?: Record<string, string>;
}

export type InviteStep = (req: SrfRequest, locals: InviteLocals, deps: CallDeps) => Promise<SipReject | undefined>;

export const dropScanners: InviteStep = async (req) => {
  const sig = scannerSignature(req.get('User-Agent'), req.get('From'));
  return sig ? reject(403, 'SCANNER', sig) : undefined;
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
  const account = fromUser ? await deps.accounts.find(fromUser) : undefined;
  const registeredHere = account !== undefined && (await deps.registrations.contactsOf(account.login)).some((c) => c.sourceAddress === ip);
  const { trunkAuthUser, trunkAuthPassword } = deps.config.sip;
  if (!registeredHere && !req.has('Proxy-Authorization') && !trunkAuthUser) return reject(403, 'SOURCE_NOT_ALLOWED', `source ${ip}`);
  if (await deps.limits.lockedOut(ip)) return reject(403, 'LOCKED_OUT', `source ${ip}`);
  const realm = deps.config.sipRealm;
  const outcome = await authenticate(req, {
    realm,
    nonces: deps.nonces,
    proxy: true,
    lookup: async (user) => {
      if (trunkAuthUser && trunkAuthPassword && user === trunkAuthUser) return md5(`${user}:${realm}:${trunkAuthPassword}`);
      const a = await deps.accounts.find(user);
      return a && a.realm === realm ? a.ha1Md5 : undefined;
    },
  });
  if (outcome.kind === 'challenge') {
    locals.challengeHeaders = outcome.headers;
    return reject(outcome.status, 'AUTHENTICATION_REQUIRED');
  }
  if (outcome.kind === 'failed') {
    await deps.limits.authFailed(ip);
    return reject(403, 'AUTHENTICATION_FAILED', `user ${outcome.username ?? '(none)'} from ${ip}`);
  }
  await deps.limits.authSucceeded(ip);
  if (trunkAuthUser && outcome.username === trunkAuthUser) {
    locals.origin = { kind: 'trunk' };
    return undefined;
  }
  const authed = await deps.accounts.find(outcome.username);
  if (!authed) return reject(403, 'AUTHENTICATION_FAILED', `account ${outcome.username} is gone`);
  locals.origin = { kind: 'phone', account: authed };
  return undefined;
};

/** Carrier calls: the dialled tracking number and the caller, as E.164. */
export const resolveNumbers: InviteStep = async (req, locals, deps) => {
  const dialled = dialledNumber(req, deps.config.defaultCountry);
  if (!dialled.ok) return reject(404, 'PHONE_INVALID', `dialled number not recognised: ${dialled.message}`);
  const caller = callerNumber(req, deps.config.defaultCountry);
  // the mirror lookup runs while the rest of the pipeline does; routing waits for it only within its budget
  if (caller.ok) locals.responsible = deps.mirror.responsible(caller.e164);
  const tn = await deps.directory.trackingNumber(dialled.e164);
  if (!tn) return reject(404, 'TRACKING_NUMBER_UNKNOWN', `${dialled.e164} is not a tracking number`);
  locals.trackingNumber = tn;
  // A withheld or garbled caller id is still a caller: route them as a new client, store the call without a number.
  locals.caller = caller.ok
    ? { kind: 'number', e164: caller.e164 }
    : caller.withheld
      ? { kind: 'withheld' }
      : { kind: 'unusable', why: caller.message };
  locals.callerRaw = caller.raw;
  if (!caller.ok) locals.log.info({ callerRaw: caller.raw, why: caller.message }, 'caller number not usable');
  return undefined;
};

export const attributeCall: InviteStep = async (_req, locals, deps) => {
  locals.attribution = await deps.attribution.attribute(locals.trackingNumber!, locals.startedAt);
  return undefined;
};

export const buildPlan: InviteStep = async (_req, locals, deps) => {
  const caller = locals.caller?.kind === 'number' ? locals.caller.e164 : null;
  const planned = await deps.planInbound({ trackingNumber: locals.trackingNumber!, caller, at: locals.startedAt, lookupUnderWay: locals.responsible });
  if (planned.lookup?.status === 'failed' || planned.lookup?.status === 'timeout') {
    locals.log.warn({ lookup: planned.lookup }, 'responsible manager lookup did not answer in time; routing moves on');
  }
  locals.planned = planned;
  return undefined;
};

/** Steps every INVITE goes through, in order. */
export const ORIGIN_STEPS: readonly InviteStep[] = [dropScanners, identifyOrigin];
/** Steps of a carrier call after its origin is known. */
export const INBOUND_STEPS: readonly InviteStep[] = [resolveNumbers, attributeCall, buildPlan];
