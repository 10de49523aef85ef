// What the SIP side is built from; assembled once in src/main.ts.
import type { DialPlanRule } from '../calls/dial-plan.ts';
import type { Config } from '../config.ts';
import type { Pool } from '../db/pool.ts';
import type { Logger } from '../logger.ts';
import type { AttributionPort } from '../tracking/attribution.ts';
import type { Directory } from './directory.ts';
import type { OutboundCallRate } from './dial-rate.ts';
import type { Nonces } from './digest.ts';
import type { SipLimits } from './limits.ts';
import type { Media } from './media.ts';
import type { SrfInstance } from './srf.ts';

export interface SipMetrics {
  mediaUnavailable(): void;
  rejected(reason: string): void;
  call(direction: 'inbound' | 'outbound' | 'internal'): void;
  /** An outbound call the dial plan refused, by the rule that refused it (ringpath_dial_plan_blocked_total). */
  dialPlanBlocked(rule: DialPlanRule): void;
}

export interface CallDeps {
  readonly srf: SrfInstance;
  readonly pool: Pool;
  readonly config: Config;
  readonly logger: Logger;
  readonly directory: Directory;
  readonly media: Media;
  readonly attribution: AttributionPort;
  readonly limits: SipLimits;
  /** New outbound calls per SIP account (dial plan; the limit is the dial_plan_calls_per_minute setting). */
  readonly dialRate: OutboundCallRate;
  /** Digest nonces, signed with a secret every process shares. */
  readonly nonces: Nonces;
  /** Whether finished calls are queued for CRM sync. */
  readonly crmSync: boolean;
  readonly metrics?: SipMetrics;
}
