import closeWithGrace from 'close-with-grace';
import type { Command } from 'commander';
import { loadConfig } from '../config.ts';
import { createLogger } from '../logger.ts';
import type { startRingpath } from '../main.ts';
import type { CliIo } from './io.ts';

export function registerServeCommand(program: Command, io: CliIo): void {
  program
    .command('serve', { isDefault: true })
    .description('run ringpath: HTTP API and console, on DATABASE_URL or an embedded PostgreSQL')
    .action(async () => {
      const config = loadConfig(io.env);
      const logger = createLogger(config.logLevel);
      let ringpath: Awaited<ReturnType<typeof startRingpath>> | undefined;
      // Installed before start so Ctrl-C during start-up also shuts down cleanly.
      closeWithGrace({ delay: 10_000 }, async ({ signal, err }) => {
        if (err) logger.error({ err }, 'shutting down after an error');
        else logger.info({ signal }, 'shutting down');
        await ringpath?.close();
        logger.flush();
      });
      // The whole server (HTTP, SIP, CRM, jobs) is loaded only by this command.
      const { startRingpath: start } = await import('../main.ts');
      ringpath = await start(config, logger);
    });
}
