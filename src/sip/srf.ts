// The one module that touches drachtio-srf's loosely typed surface. The rest of
// ringpath sees the small typed interfaces below.
import Srf from 'drachtio-srf';
import type { SipConfig } from '../config.ts';
import type { Logger } from '../logger.ts';

export type SrfInstance = Srf;
export type SrfRequest = Srf.SrfRequest;
export type SrfResponse = Srf.SrfResponse;
export type SrfDialog = Srf.Dialog;

/** What middleware reads from an incoming request (a drachtio request satisfies it). */
export interface SipRequestView {
  readonly method: string;
  readonly uri: string;
  readonly callId: string;
  readonly source_address: string;
  readonly source_port: string;
  get(name: string): string | undefined;
  has(name: string): boolean;
}

export interface SipConnection {
  readonly srf: Srf;
  connected(): boolean;
  /** Rejects when drachtio-server is not connected (for /readyz). */
  check(): Promise<void>;
  close(): void;
}

/**
 * Connect to drachtio-server's admin port. drachtio-srf reconnects by itself
 * with backoff after a drachtio restart; readiness follows the connection.
 */
export function connectDrachtio(config: SipConfig, logger: Logger): SipConnection {
  if (!config.drachtioHost) throw new Error('DRACHTIO_HOST is not set');
  const log = logger.child({ component: 'drachtio' });
  const srf = new Srf();
  let up = false;
  srf.on('connect', (err: Error | null, hostPort: string) => {
    if (err) {
      up = false;
      log.error({ err }, 'drachtio-server refused the connection (check DRACHTIO_SECRET)');
      return;
    }
    up = true;
    log.info({ hostPort }, 'connected to drachtio-server');
  });
  srf.on('error', (err: Error) => {
    if (up) log.warn({ err: err.message }, 'lost drachtio-server; reconnecting');
    up = false;
  });
  srf.on('disconnect', () => {
    up = false;
  });
  (srf as unknown as NodeJS.EventEmitter).on('reconnecting', () => log.debug('reconnecting to drachtio-server'));
  srf.connect({ host: config.drachtioHost, port: config.drachtioPort, secret: config.drachtioSecret });
  return {
    srf,
    connected: () => up,
    async check() {
      if (!up) throw new Error(`not connected to drachtio-server at ${config.drachtioHost}:${config.drachtioPort}`);
    },
    close() {
      up = false;
      srf.disconnect();
    },
  };
}

/**
 * Hang a dialog up (BYE). The other side may already have gone, and
 * drachtio-srf then rejects; that is the outcome wanted anyway, so it is only
 * noted, never left as an unhandled rejection.
 */
export function hangUp(dialog: SrfDialog, log?: { debug(obj: object, msg: string): void }): void {
  dialog.destroy(undefined, (err: unknown) => {
    if (err) log?.debug({ err: err instanceof Error ? err.message : String(err) }, 'hang-up of a dialog already gone');
  });
}
