import type { Command } from 'commander';
import { loadConfig, type Config } from '../config.ts';
import type { Ringpath } from '../main.ts';
import type { CliIo } from './io.ts';

/** The one line `ringpath serve` prints when it cannot listen; undefined for other errors. */
export function listenFailure(err: unknown, config: Pick<Config, 'port' | 'host'>): string | undefined {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'EADDRINUSE') return `port ${config.port} on ${config.host} is already in use: set PORT to a free port (e.g. PORT=8081 npm start)`;
  if (code === 'EACCES') return `port ${config.port} on ${config.host} needs privileges this user lacks: set PORT to 1024 or above`;
  if (code === 'EADDRNOTAVAIL') return `${config.host} is not an address of this host: set HOST to one (e.g. 127.0.0.1 or 0.0.0.0)`;
  return undefined;
}

export function registerServeCommand(program: Command, io: CliIo): void {
  program
    .command('serve', { isDefault: true })
    .description('run ringpath: HTTP API and console, on DATABASE_URL or an embedded PostgreSQL')
    .action(async () => {
      const config = loadConfig(io.env);
      // The logger and the whole server (HTTP, SIP, CRM, jobs) are loaded only by this command.
      const [{ createLogger }, { installShutdown }, { startRingpath }] = await Promise.all([
        import('../logger.ts'),
        import('./shutdown.ts'),
        import('../main.ts'),
      ]);
      const logger = createLogger(config.logLevel);
      const starting: Promise<Ringpath> = startRingpath(config, logger);
      // Installed before start-up ends, so Ctrl-C during it also stops what has started.
      const shutdown = installShutdown({
        logger,
        graceMs: 10_000,
        close: async () => {
          const ringpath = await starting.catch(() => undefined);
          await ringpath?.close();
        },
        exit: (code) => logger.flush(() => process.exit(code)),
      });
      try {
        await starting;
      } catch (err) {
        shutdown.uninstall();
        logger.flush();
        const line = listenFailure(err, config);
        if (line === undefined) throw err;
        io.stderr.write(`ringpath: ${line}\n`);
        io.exitCode = 1;
      }
    });
}
