// Two answered dialogs joined: a BYE on either side ends both, re-INVITEs and
// in-dialog requests (INFO, UPDATE) pass through to the other side.
import type { Logger } from '../logger.ts';
import { hangUp, type SrfDialog, type SrfRequest, type SrfResponse } from './srf.ts';

export interface Bridge {
  /** Resolves when the call has ended, with the side that hung up. */
  readonly ended: Promise<{ by: 'caller' | 'callee' | 'system' }>;
  hangUp(): void;
}

function passModify(from: SrfDialog, to: SrfDialog, log: Logger) {
  from.on('modify', (req: SrfRequest, res: SrfResponse) => {
    to.modify(req.body).then(
      (sdp: string) => res.send(200, { body: sdp }),
      (err: unknown) => {
        log.warn({ err }, 're-INVITE failed on the other leg');
        res.send((err as { status?: number }).status ?? 488);
      },
    );
  });
}

function passRequest(event: 'info' | 'update' | 'message' | 'notify', from: SrfDialog, to: SrfDialog) {
  from.on(event as 'info', (req: SrfRequest, res: SrfResponse) => {
    const contentType = req.get('Content-Type');
    to.request({
      method: event.toUpperCase(),
      headers: contentType ? { 'Content-Type': contentType } : {},
      body: req.body,
    } as unknown as SrfRequest).then(
      (r: SrfResponse) => res.send(r.status),
      () => res.send(500),
    );
  });
}

export function bridge(caller: SrfDialog, callee: SrfDialog, log: Logger): Bridge {
  let finished = false;
  let resolveEnded!: (v: { by: 'caller' | 'callee' | 'system' }) => void;
  const ended = new Promise<{ by: 'caller' | 'callee' | 'system' }>((r) => (resolveEnded = r));
  const end = (by: 'caller' | 'callee' | 'system') => {
    if (finished) return;
    finished = true;
    if (by !== 'caller') hangUp(caller, log);
    if (by !== 'callee') hangUp(callee, log);
    resolveEnded({ by });
  };
  caller.on('destroy', () => end('caller'));
  callee.on('destroy', () => end('callee'));
  passModify(caller, callee, log);
  passModify(callee, caller, log);
  for (const ev of ['info', 'update', 'message', 'notify'] as const) {
    passRequest(ev, caller, callee);
    passRequest(ev, callee, caller);
  }
  return { ended, hangUp: () => end('system') };
}
