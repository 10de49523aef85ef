// A SIP rejection as a value: middleware decides, the adapter sends it.
export interface SipReject {
  readonly status: number;
  /** Stable, machine-readable reason sent as X-Reason. */
  readonly reason: string;
  /** Do not answer at all (scanners). */
  readonly silent?: boolean;
}

export const reject = (status: number, reason: string): SipReject => ({ status, reason });
export const drop = (reason: string): SipReject => ({ status: 0, reason, silent: true });
