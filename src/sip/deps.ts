// What the SIP side is built from; assembled once in src/main.ts (PostgreSQL
// adapters) or by tests (in-memory adapters, a fake srf).
import type { DialPlanRule } from '../calls/dial-plan.ts';
import type { CallPlan, CallToPlan } from '../calls/plan.ts';
import type { SipReasonCode } from '../calls/reasons.ts';
import type { Config } from '../config.ts';
import type { Logger } from '../logger.ts';
import type { AttributionPort } from '../tracking/attribution.ts';
import type { OutboundCallRate } from './dial-rate.ts';
import type { Nonces } from './digest.ts';
import type { SipLimits } from './limits.ts';
import type { Media } from './media.ts';
import type { CallDirectory, CallEvents, CallLog, MirrorLookup, Registrations, SipAccounts } from './ports.ts';
import type { SrfInstance } from './srf.ts';

export interface SipMetrics {
  mediaUnavailable(): void;
  /** A request refused, by its stable reason code. */
  rejected(code: SipReasonCode): void;
  call(direction: 'inbound' | 'outbound' | 'internal'): void;
  /** A finished call whose record could not be stored. */
  callRecordLost(direction: 'inbound' | 'outbound' | 'internal'): void;
  /** An outbound call the dial plan refused, by the rule that refused it (ringpath_dial_plan_blocked_total). */
  dialPlanBlocked(rule: DialPlanRule): void;
}

/** Plans an inbound call that the INVITE pipeline accepted (see src/calls/plan.ts). */
export type InboundPlanner = (call: CallToPlan) => Promise<CallPlan>;

export interface CallDeps {
  readonly srf: SrfInstance;
  readonly config: Config;
  readonly logger: Logger;
  readonly directory: CallDirectory;
  readonly accounts: SipAccounts;
  readonly registrations: Registrations;
  readonly callLog: CallLog;
  readonly mirror: MirrorLookup;
  readonly planInbound: InboundPlanner;
  readonly media: Media;
  readonly attribution: AttributionPort;
  readonly limits: SipLimits;
  /** New outbound calls per SIP account (dial plan; the limit is the dial_plan_calls_per_minute setting). */
  readonly dialRate: OutboundCallRate;
  /** Digest nonces, signed with a secret every process shares. */
  readonly nonces: Nonces;
  readonly metrics?: SipMetrics;
  /** Webhook events of calls; none are sent without it. */
  readonly events?: CallEvents;
}
