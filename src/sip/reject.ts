// A SIP rejection as a value: middleware and the pure core decide, the adapter
// sends it. `code` is the stable X-Reason (src/calls/reasons.ts); `detail` is
// for the log.
import type { SipReasonCode } from '../calls/reasons.ts';

export interface SipReject {
  readonly status: number;
  /** Stable, machine-readable reason, sent as X-Reason and used as the metric label. */
  readonly code: SipReasonCode;
  /** What exactly was wrong, for the log. */
  readonly detail?: string;
  /** Do not answer at all (scanners). */
  readonly silent?: boolean;
}

export const reject = (status: number, code: SipReasonCode, detail?: string): SipReject => ({ status, code, ...(detail ? { detail } : {}) });
export const drop = (code: SipReasonCode, detail?: string): SipReject => ({ status: 0, code, silent: true, ...(detail ? { detail } : {}) });
