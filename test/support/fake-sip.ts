// A stand-in for drachtio-srf that drives ringpath's SIP handlers in CI, with no
// drachtio-server: INVITEs and OPTIONS as drachtio hands them to the app, and
// called legs that answer, ring out, are busy or fail as each test scripts them.
// Together with the in-memory ports (src/sip/adapters/memory.ts) it lets a test
// assert the SIP status, the X-Reason and the stored call of real handling code.
import { EventEmitter } from 'node:events';
import type { SrfInstance, SrfRequest, SrfResponse } from '../../src/sip/srf.ts';

export const SDP = ['v=0', 'o=carrier 1 1 IN IP4 192.0.2.10', 's=-', 'c=IN IP4 192.0.2.10', 't=0 0', 'm=audio 4000 RTP/AVP 0 8', 'a=rtpmap:0 PCMU/8000', ''].join('\r\n');

export interface Sent {
  readonly status: number;
  readonly headers: Record<string, string>;
}

/** The server transaction's response side: every response sent, in order. */
export class FakeResponse {
  readonly sent: Sent[] = [];
  finalResponseSent = false;
  private readonly finals: Array<(s: Sent) => void> = [];

  send(status: number, opts?: { headers?: Record<string, string> } | string): void {
    const headers = typeof opts === 'object' ? (opts.headers ?? {}) : {};
    const s = { status, headers };
    this.sent.push(s);
    if (status >= 200) {
      if (this.finalResponseSent) throw new Error(`a second final response (${status}) after ${this.final?.status}`);
      this.finalResponseSent = true;
      this.finals.splice(0).forEach((f) => f(s));
    }
  }

  get final(): Sent | undefined {
    return this.sent.find((s) => s.status >= 200);
  }

  /** Resolves with the final response once one is sent. */
  finalSent(): Promise<Sent> {
    const f = this.final;
    return f ? Promise.resolve(f) : new Promise((r) => this.finals.push(r));
  }
}

export interface InviteSpec {
  readonly uri?: string;
  readonly from?: string;
  readonly headers?: Record<string, string>;
  readonly body?: string;
  readonly source?: string;
  readonly method?: string;
  readonly callId?: string;
}

let calls = 0;

/** A request as drachtio-srf hands it to the app; `cancel()` plays the caller's CANCEL. */
export function fakeRequest(spec: InviteSpec = {}): SrfRequest & { cancel(): void } {
  const method = spec.method ?? 'INVITE';
  const callId = spec.callId ?? `call-${++calls}@192.0.2.10`;
  const headers: Record<string, string> = {
    Via: 'SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bK-1',
    From: spec.from ?? '<sip:+380501234567@192.0.2.10>;tag=caller-1',
    To: '<sip:+380441234567@ringpath.example>',
    'Call-ID': callId,
    CSeq: `1 ${method}`,
    'Max-Forwards': '70',
    ...(method === 'INVITE' ? { 'Content-Type': 'application/sdp' } : {}),
    ...spec.headers,
  };
  const byName = new Map(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
  const emitter = new EventEmitter();
  const req = {
    method,
    uri: spec.uri ?? 'sip:+380441234567@ringpath.example',
    callId,
    source_address: spec.source ?? '192.0.2.10',
    source_port: '5060',
    body: spec.body ?? (method === 'INVITE' ? SDP : ''),
    get: (name: string) => byName.get(name.toLowerCase()),
    has: (name: string) => byName.has(name.toLowerCase()),
    getParsedHeader: (name: string) => {
      const value = byName.get(name.toLowerCase()) ?? '';
      const tag = /;tag=([^;>\s]+)/.exec(value)?.[1];
      const uri = /<([^>]+)>/.exec(value)?.[1] ?? value;
      return name.toLowerCase() === 'contact' ? [{ uri, params: {} }] : { uri, params: tag ? { tag } : {} };
    },
    on: (event: string, fn: (...a: unknown[]) => void) => {
      emitter.on(event, fn);
      return req;
    },
    cancel: () => emitter.emit('cancel'),
  };
  return req as unknown as SrfRequest & { cancel(): void };
}

/** How a called leg behaves. */
export type LegScript =
  | { readonly kind: 'answer'; readonly afterMs?: number; readonly talkMs?: number }
  | { readonly kind: 'reject'; readonly status: number; readonly afterMs?: number }
  /** rings until cancelled */
  | { readonly kind: 'ring' };

export interface Rung {
  readonly uri: string;
  readonly headers: Record<string, string>;
  readonly proxy?: string;
  outcome?: 'answered' | 'rejected' | 'cancelled';
}

class FakeDialog extends EventEmitter {
  destroyed = false;
  readonly remote = { sdp: SDP };
  readonly sip = { remoteTag: 'callee-tag' };
  destroy(_opts?: unknown, cb?: (err?: unknown) => void): void {
    this.destroyed = true;
    cb?.();
  }
  modify(): Promise<string> {
    return Promise.resolve(SDP);
  }
  request(): Promise<{ status: number }> {
    return Promise.resolve({ status: 200 });
  }
  /** The far end hangs up (BYE). */
  hangUpFromFarEnd(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    this.emit('destroy');
  }
}

/** The parts of drachtio-srf call handling uses, scripted per Request-URI. */
export class FakeSrf {
  readonly rung: Rung[] = [];
  /** Dialogs answered towards callers (createUAS). */
  readonly answeredCallers: FakeDialog[] = [];

  constructor(private readonly script: (uri: string) => LegScript = () => ({ kind: 'ring' })) {}

  asSrf(): SrfInstance {
    return this as unknown as SrfInstance;
  }

  createUAC(
    uri: string,
    opts: { headers?: Record<string, string>; proxy?: string },
    cbs: { cbRequest?: (err: unknown, req?: unknown) => void; cbProvisional?: (res: unknown) => void } = {},
  ): Promise<FakeDialog> {
    const rung: Rung = { uri, headers: opts.headers ?? {}, ...(opts.proxy ? { proxy: opts.proxy } : {}) };
    this.rung.push(rung);
    const behaviour = this.script(uri);
    return new Promise((resolve, reject) => {
      let settled = false;
      const timers: NodeJS.Timeout[] = [];
      const settle = (fn: () => void) => {
        if (settled) return;
        settled = true;
        timers.forEach(clearTimeout);
        fn();
      };
      const request = {
        cancel: (cb?: () => void) => {
          settle(() => {
            rung.outcome = 'cancelled';
            reject(Object.assign(new Error('487 Request Terminated'), { status: 487 }));
          });
          cb?.();
        },
      };
      setImmediate(() => {
        cbs.cbRequest?.(null, request);
        cbs.cbProvisional?.({ status: 180 });
      });
      if (behaviour.kind === 'answer') {
        timers.push(
          setTimeout(() =>
            settle(() => {
              rung.outcome = 'answered';
              const dialog = new FakeDialog();
              setTimeout(() => dialog.hangUpFromFarEnd(), behaviour.talkMs ?? 20);
              resolve(dialog);
            }),
            behaviour.afterMs ?? 5,
          ),
        );
      } else if (behaviour.kind === 'reject') {
        timers.push(
          setTimeout(() =>
            settle(() => {
              rung.outcome = 'rejected';
              reject(Object.assign(new Error(`${behaviour.status}`), { status: behaviour.status }));
            }),
            behaviour.afterMs ?? 5,
          ),
        );
      }
    });
  }

  async createUAS(_req: SrfRequest, res: SrfResponse, _opts: { localSdp: string }): Promise<FakeDialog> {
    (res as unknown as FakeResponse).send(200);
    const dialog = new FakeDialog();
    this.answeredCallers.push(dialog);
    return dialog;
  }
}
