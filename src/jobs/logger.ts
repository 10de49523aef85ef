import { Logger as WorkerLogger } from 'graphile-worker';
import { componentLogger, type Logger } from '../logger.ts';

/** graphile-worker's logger interface, writing to pino. */
export function workerLogger(logger: Logger): WorkerLogger {
  const log = componentLogger(logger, 'jobs');
  return new WorkerLogger(() => (level, message, meta) => {
    const fields = meta ?? {};
    if (level === 'error') log.error(fields, message);
    else if (level === 'warning') log.warn(fields, message);
    else if (level === 'info') log.info(fields, message);
    else log.debug(fields, message);
  });
}
