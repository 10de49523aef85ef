// How `ringpath serve` stops: on SIGINT or SIGTERM it closes its parts in order
// (src/main.ts) and exits 0. The same signal arriving twice at once (a terminal's
// Ctrl-C reaches `npm start` too, and npm passes it on) counts once; a signal
// after that, while the shutdown is still going, exits at once.
import type { Logger } from '../logger.ts';

export interface ShutdownOptions {
  readonly logger: Logger;
  /** Stops ringpath; waited for. */
  readonly close: () => Promise<void>;
  readonly exit: (code: number) => void;
  /** How long the close may take before the process exits anyway. */
  readonly graceMs: number;
  /** A second signal within this time of the first is the same Ctrl-C. */
  readonly echoMs?: number;
  readonly now?: () => number;
}

export interface Shutdown {
  /** What a signal does; installed on the process by installShutdown. */
  onSignal(signal: NodeJS.Signals): void;
  /** An error nothing handled: logged, then the same orderly stop, exit 1. */
  onFatal(err: unknown): void;
  uninstall(): void;
}

const SIGNALS: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM'];

export function shutdownController(opts: ShutdownOptions): Shutdown {
  const now = opts.now ?? Date.now;
  const echoMs = opts.echoMs ?? 1000;
  let startedAt: number | undefined;
  const stop = (code: number) => {
    startedAt = now();
    const timer = setTimeout(() => {
      opts.logger.error({ graceMs: opts.graceMs }, 'the shutdown took too long: exiting without finishing it');
      opts.exit(1);
    }, opts.graceMs);
    timer.unref();
    opts.close().then(
      () => {
        clearTimeout(timer);
        opts.exit(code);
      },
      (err: unknown) => {
        clearTimeout(timer);
        opts.logger.error({ err }, 'the shutdown failed');
        opts.exit(1);
      },
    );
  };
  const onSignal = (signal: NodeJS.Signals) => {
    if (startedAt === undefined) {
      opts.logger.info({ signal }, 'shutting down');
      stop(0);
    } else if (now() - startedAt > echoMs) {
      opts.logger.warn({ signal }, 'a second signal during the shutdown: exiting now');
      opts.exit(1);
    }
  };
  const onFatal = (err: unknown) => {
    opts.logger.fatal({ err }, 'shutting down after an error nothing handled');
    if (startedAt === undefined) stop(1);
  };
  return { onSignal, onFatal, uninstall: () => undefined };
}

/** The controller, listening on this process's signals and unhandled errors. */
export function installShutdown(opts: ShutdownOptions): Shutdown {
  const c = shutdownController(opts);
  for (const s of SIGNALS) process.on(s, c.onSignal);
  process.on('uncaughtException', c.onFatal);
  process.on('unhandledRejection', c.onFatal);
  return {
    ...c,
    uninstall() {
      for (const s of SIGNALS) process.off(s, c.onSignal);
      process.off('uncaughtException', c.onFatal);
      process.off('unhandledRejection', c.onFatal);
    },
  };
}
