import { pino, type Logger } from 'pino';
import type { LogLevel } from './config.ts';

export type { Logger };

/** pino JSON to stdout (or `destination`); every component takes a child of this logger. */
export function createLogger(level: LogLevel, destination?: NodeJS.WritableStream): Logger {
  return pino(
    {
      level,
      base: { service: 'ringpath' },
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: {
        paths: ['*.password', '*.authorization', 'req.headers.authorization', 'req.headers.cookie', 'password'],
        censor: '[redacted]',
      },
    },
    destination ?? pino.destination({ dest: 1, sync: false }),
  );
}

/**
 * The logger of one part of ringpath, named by `component`. pino writes every
 * binding of a child again, so a part inside a part that already has a
 * component (the job queue inside the CRM worker) is named by `subcomponent`:
 * each line has one `component` key.
 */
export function componentLogger(parent: Logger, component: string, bindings: Record<string, unknown> = {}): Logger {
  const named = parent.bindings().component !== undefined;
  return parent.child(named ? { subcomponent: component, ...bindings } : { component, ...bindings });
}
