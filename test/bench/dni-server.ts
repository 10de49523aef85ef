// The server side of `npm run bench:dni`: ringpath's HTTP app (buildApp, as
// `ringpath serve` builds it) with the hold sweeper, on DATABASE_URL, listening on
// 127.0.0.1, plus a hello-world route on the same fastify instance as the
// baseline. Prints {"url": …} once listening; stops on SIGTERM.
import { loadConfig } from '../../src/config.ts';
import { openDatabase } from '../../src/db/database.ts';
import { startHoldSweeper } from '../../src/dni/sweeper.ts';
import { buildApp } from '../../src/http/app.ts';
import { createLogger } from '../../src/logger.ts';

const config = loadConfig();
const logger = createLogger(config.logLevel);
const db = await openDatabase(config, logger, { migrate: false });
const sweeper = startHoldSweeper({ pool: db.pool, logger, intervalS: config.dni.sweepIntervalS });
const app = await buildApp({ config, pool: db.pool, logger });
app.get('/bench/hello', { schema: { hide: true } }, async () => ({ hello: 'world' }));
const url = await app.listen({ host: '127.0.0.1', port: 0 });
console.log(JSON.stringify({ url }));

process.once('SIGTERM', () => {
  void (async () => {
    await app.close();
    await sweeper.stop();
    await db.close();
    process.exit(0);
  })();
});
