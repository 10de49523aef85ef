// Ringing one routing attempt: every leg at once, the first answer wins, the
// rest are cancelled; a leg that answers after the winner is hung up.
import type { AttemptResult, Destination, EmployeeId } from '../routing/types.ts';
import { hangUp, type SrfDialog, type SrfInstance, type SrfRequest } from './srf.ts';

export interface Leg {
  readonly employeeId: EmployeeId | null;
  readonly destination: Destination;
  /** Request-URI to send the INVITE to. */
  readonly uri: string;
  /** Outbound proxy (the trunk) when the URI is not routed directly. */
  readonly proxy?: string;
}

export interface LegOutcome {
  readonly leg: Leg;
  readonly result: AttemptResult;
  readonly status?: number;
}

export interface ForkResult {
  readonly winner?: { readonly leg: Leg; readonly dialog: SrfDialog };
  readonly legs: readonly LegOutcome[];
  /** Why ringing stopped without a winner. */
  readonly stopped?: 'timeout' | 'aborted';
}

export interface ForkOptions {
  readonly localSdp: string;
  readonly headers: Record<string, string>;
  readonly timeoutMs: number;
  /** Aborted when the caller hangs up while the legs ring. */
  readonly signal: AbortSignal;
  /** Called once, on the first provisional response of any leg. */
  readonly onRinging?: () => void;
}

/** How a failed leg is recorded, given the final status and why we stopped ringing. */
export function legResult(status: number | undefined, stoppedBy: 'timeout' | 'aborted' | 'winner' | undefined): AttemptResult {
  if (status === 487 || status === undefined) {
    if (stoppedBy === 'timeout') return 'no_answer';
    if (stoppedBy === 'aborted' || stoppedBy === 'winner') return 'cancelled';
  }
  if (status === undefined) return 'failed';
  if (status === 486 || status === 600 || status === 603) return 'busy';
  if (status === 408 || status === 480 || status === 487) return 'no_answer';
  return 'failed';
}

function statusOf(err: unknown): number | undefined {
  const s = (err as { status?: unknown }).status;
  return typeof s === 'number' ? s : undefined;
}

export function ringLegs(srf: SrfInstance, legs: readonly Leg[], opts: ForkOptions): Promise<ForkResult> {
  if (legs.length === 0) return Promise.resolve({ legs: [] });
  return new Promise((resolve) => {
    const requests: Array<SrfRequest | undefined> = legs.map(() => undefined);
    const settled: boolean[] = legs.map(() => false);
    const outcomes: Array<LegOutcome | undefined> = legs.map(() => undefined);
    let winner: ForkResult['winner'];
    let stoppedBy: 'timeout' | 'aborted' | 'winner' | undefined;
    let ringing = false;

    const cancelPending = () => {
      requests.forEach((req, i) => {
        if (req && !settled[i]) req.cancel(() => undefined);
      });
    };
    const stop = (why: 'timeout' | 'aborted' | 'winner') => {
      if (stoppedBy) return;
      stoppedBy = why;
      cancelPending();
    };
    const timer = setTimeout(() => stop('timeout'), opts.timeoutMs);
    const onAbort = () => stop('aborted');
    opts.signal.addEventListener('abort', onAbort, { once: true });
    if (opts.signal.aborted) stop('aborted');

    const finish = () => {
      if (!settled.every(Boolean)) return;
      clearTimeout(timer);
      opts.signal.removeEventListener('abort', onAbort);
      const stopped = winner ? undefined : stoppedBy === 'winner' ? undefined : stoppedBy;
      resolve({ ...(winner ? { winner } : {}), legs: outcomes.map((o) => o!), ...(stopped ? { stopped } : {}) });
    };

    legs.forEach((leg, i) => {
      srf
        .createUAC(
          leg.uri,
          { localSdp: opts.localSdp, headers: opts.headers, ...(leg.proxy ? { proxy: leg.proxy } : {}) },
          {
            // drachtio-srf calls cbRequest(err, req), whatever its bundled types say
            cbRequest: ((err: unknown, req?: SrfRequest) => {
              if (err || !req) return;
              requests[i] = req;
              // stopped before this INVITE went out: cancel it now
              if (stoppedBy) req.cancel(() => undefined);
            }) as unknown as (req: SrfRequest) => void,
            cbProvisional: () => {
              if (!ringing) {
                ringing = true;
                opts.onRinging?.();
              }
            },
          },
        )
        .then(
          (dialog: SrfDialog) => {
            settled[i] = true;
            if (winner || stoppedBy === 'aborted' || stoppedBy === 'timeout') {
              // answered too late: hang this leg up again
              hangUp(dialog);
              outcomes[i] = { leg, result: 'cancelled', status: 200 };
            } else {
              winner = { leg, dialog };
              outcomes[i] = { leg, result: 'answered', status: 200 };
              stop('winner');
            }
            finish();
          },
          (err: unknown) => {
            settled[i] = true;
            const status = statusOf(err);
            outcomes[i] = { leg, result: legResult(status, stoppedBy), ...(status !== undefined ? { status } : {}) };
            finish();
          },
        );
    });
  });
}
