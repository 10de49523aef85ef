// Calls placed from an authenticated manager's phone (SPEC §5 "Outbound",
// "Internal"). Pure: what the phone dialled, who placed it and the directory in,
// a refusal or a routing plan out. The plan comes from the routing engine, so an
// internal or outbound call follows the same rules as a routed one (quality
// control is never rung, a destination rings once, the caller's own number is
// never rung back).
import type { DirectoryEmployee } from '../db/repositories/directory.ts';
import { normalizePhone } from '../phone/index.ts';
import { planCall } from '../routing/engine.ts';
import type { Attempt, RoutingPlan, Step } from '../routing/types.ts';
import { checkDialPlan, type DialPlanPolicy, type DialPlanRefusal } from './dial-plan.ts';
import type { SipReasonCode } from './reasons.ts';

export const INTERNAL_RING_S = 60;
export const OUTBOUND_RING_S = 120;

export type PhonePlan =
  | { readonly kind: 'refuse'; readonly status: number; readonly code: SipReasonCode; readonly detail: string }
  /** Refused by the dial plan: answered 403 DIAL_PLAN_BLOCKED and stored as a blocked call. */
  | {
      readonly kind: 'blocked';
      readonly placedBy: DirectoryEmployee;
      readonly dialled: string;
      readonly callerId: string | null;
      readonly refusal: DialPlanRefusal;
    }
  | {
      readonly kind: 'internal';
      readonly placedBy: DirectoryEmployee;
      readonly callee: DirectoryEmployee;
      /** The placing employee's extension, shown as the caller. */
      readonly callerId: string | null;
      readonly plan: RoutingPlan;
      readonly attempt: Attempt;
    }
  | {
      readonly kind: 'outbound';
      readonly placedBy: DirectoryEmployee;
      /** E.164 of the number dialled. */
      readonly dialled: string;
      /** The caller id sent to the trunk: the employee's priority tracking number, else the trunk's default, else none. */
      readonly callerId: string | null;
      readonly plan: RoutingPlan;
      readonly attempt: Attempt;
    };

export interface PhoneCallInput {
  /** The employee whose SIP account authenticated the INVITE. */
  readonly placedById: number;
  /** The INVITE's Request-URI. */
  readonly requestUri: string;
  readonly employees: readonly DirectoryEmployee[];
  readonly defaultCountry: string;
  readonly trunkConfigured: boolean;
  /** The placing employee's priority tracking number, if any. */
  readonly priorityNumber: string | null;
  /** The settings' default caller id for the trunk, if any. */
  readonly trunkDefaultCallerId: string | null;
  /** Which destinations outbound calls may reach (toll-fraud guard). */
  readonly dialPlan: DialPlanPolicy;
  readonly at: Date;
}

/** The user part of a sip:, sips: or tel: URI. */
function userOf(uri: string): string | undefined {
  return /^(?:sips?|tel):([^@;>]+)/i.exec(uri.trim())?.[1];
}

/** A 3-digit internal extension, if that is what the Request-URI dials. */
export function dialledExtension(requestUri: string): string | undefined {
  const user = userOf(requestUri);
  return user && /^\d{3}$/.test(user) ? user : undefined;
}

/** The caller id of an outbound call: the priority tracking number, else the trunk's default. */
export function outboundCallerId(priorityNumber: string | null, trunkDefault: string | null): string | null {
  return priorityNumber ?? trunkDefault ?? null;
}

const refuse = (status: number, code: SipReasonCode, detail: string): PhonePlan => ({ kind: 'refuse', status, code, detail });

function singleStep(step: Step, input: PhoneCallInput, callerNumber: string | null): { plan: RoutingPlan; attempt: Attempt | undefined } {
  const plan = planCall({
    callerNumber,
    trackingNumber: { number: '', scheme: { id: 0, steps: [step] } },
    employees: input.employees,
    responsible: { status: 'not_found' },
    roundRobin: new Map(),
    now: input.at,
  });
  return { plan, attempt: plan.attempts[0] };
}

export function planPhoneCall(input: PhoneCallInput): PhonePlan {
  const placedBy = input.employees.find((e) => e.id === input.placedById);
  if (!placedBy) return refuse(403, 'AUTHENTICATION_FAILED', `the SIP account's employee ${input.placedById} no longer exists`);
  if (placedBy.salesRole === 'quality_control') {
    return refuse(403, 'QUALITY_CONTROL_CANNOT_CALL', `${placedBy.fullName} (${placedBy.id}) is quality control and cannot place calls`);
  }

  const extension = dialledExtension(input.requestUri);
  if (extension) {
    const callee = input.employees.find((e) => e.extension === extension);
    if (!callee) return refuse(404, 'EXTENSION_UNKNOWN', `extension ${extension} does not exist`);
    if (callee.id === placedBy.id) return refuse(486, 'OWN_EXTENSION', `${placedBy.fullName} dialled their own extension ${extension}`);
    const step: Step = { type: 'employees', employeeIds: [callee.id], ringStrategy: 'simultaneous', ringTimeoutS: INTERNAL_RING_S };
    const { plan, attempt } = singleStep(step, input, null);
    if (!attempt) return refuse(480, 'NO_REACHABLE_DESTINATION', plan.skipped[0]?.reason ?? `extension ${extension} cannot be rung`);
    return { kind: 'internal', placedBy, callee, callerId: placedBy.extension, plan, attempt: { ...attempt, reason: `extension ${extension}: ${attempt.reason}` } };
  }

  const dialled = normalizePhone(input.requestUri, { defaultCountry: input.defaultCountry });
  if (!dialled.ok) return refuse(484, 'PHONE_INVALID', `the dialled number is not usable: ${dialled.message}`);
  if (!input.trunkConfigured) return refuse(503, 'NO_TRUNK', 'no trunk is configured for outbound calls (TRUNK_URI)');
  const callerId = outboundCallerId(input.priorityNumber, input.trunkDefaultCallerId);
  const verdict = checkDialPlan(input.dialPlan, dialled.e164);
  if (!verdict.allowed) return { kind: 'blocked', placedBy, dialled: dialled.e164, callerId, refusal: verdict };
  const step: Step = { type: 'external_number', number: dialled.e164, ringTimeoutS: OUTBOUND_RING_S };
  const { plan, attempt } = singleStep(step, input, callerId);
  if (!attempt) return refuse(480, 'NO_REACHABLE_DESTINATION', plan.skipped[0]?.reason ?? `${dialled.e164} cannot be rung`);
  return {
    kind: 'outbound',
    placedBy,
    dialled: dialled.e164,
    callerId,
    plan,
    attempt: { ...attempt, reason: `outbound via trunk as ${callerId ?? 'no caller id'}` },
  };
}
