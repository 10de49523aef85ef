// `npm test`: one PostgreSQL for the whole run (embedded, or the server in
// DATABASE_URL), a migrated template database, then tap. Each test file clones
// the template into its own database, so files run in parallel in isolation.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { startEmbeddedPostgres, type EmbeddedDatabase } from '../src/db/embedded.ts';
import { migrate } from '../src/db/migrate.ts';
import { createLogger } from '../src/logger.ts';
import { buildSnippet } from '../src/dni/snippet-build.ts';

const TEMPLATE = `ringpath_template_${process.pid}`;
const logger = createLogger((process.env.TEST_LOG_LEVEL as 'info' | undefined) ?? 'warn');

function withDatabase(url: string, db: string): string {
  const u = new URL(url);
  u.pathname = `/${db}`;
  return u.toString();
}

/**
 * tap compiles its plugin set at install time with the defaults; the
 * TypeScript plugin ringpath turns off (tests load through tsx) is only left
 * out after `tap build`. Rebuild once when the built set does not match.
 */
function ensureTapPlugins(): void {
  const built = path.resolve('node_modules/@tapjs/test/test-built/dist/esm/index.js');
  if (existsSync(built) && !readFileSync(built, 'utf8').includes('@tapjs/typescript')) return;
  console.log('building tap plugins (once per install)');
  const build = spawnSync(path.resolve('node_modules/.bin/tap'), ['build'], { stdio: 'inherit' });
  if (build.status !== 0) throw new Error('tap build failed');
}

async function main(): Promise<number> {
  ensureTapPlugins();
  // the tests check and drive the snippet built from the sources as they are now
  await buildSnippet();
  // the console's browser tests drive the app built from its sources as they are now
  const args = process.argv.slice(2);
  if (args.length === 0 || args.some((a) => a.includes('browser'))) {
    const built = spawnSync(process.execPath, ['--import', 'tsx', 'console/build.ts'], { stdio: 'inherit' });
    if (built.status !== 0) throw new Error('building the console failed');
  }
  let embedded: EmbeddedDatabase | undefined;
  let tmp: string | undefined;
  let adminUrl = process.env.DATABASE_URL;
  if (!adminUrl) {
    tmp = await mkdtemp(path.join(os.tmpdir(), 'ringpath-test-pg-'));
    embedded = await startEmbeddedPostgres({ dataDir: tmp, port: 0, logger, persistent: false });
    adminUrl = embedded.url;
    console.log(`test PostgreSQL: embedded on port ${embedded.port}`);
  } else {
    console.log('test PostgreSQL: DATABASE_URL');
  }
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${TEMPLATE}`);
    await admin.query(`CREATE DATABASE ${TEMPLATE}`);
    await migrate(withDatabase(adminUrl, TEMPLATE), logger);
    return await new Promise<number>((resolve) => {
      const child = spawn(path.resolve('node_modules/.bin/tap'), args, {
        stdio: 'inherit',
        // ringpath processes the tests start run the sources (bin/ringpath.js), not dist/
        env: { ...process.env, RINGPATH_SOURCE: '1', RINGPATH_TEST_ADMIN_URL: adminUrl, RINGPATH_TEST_TEMPLATE: TEMPLATE },
      });
      child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
    });
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS ${TEMPLATE} WITH (FORCE)`).catch(() => undefined);
    await admin.end();
    await embedded?.stop();
    if (tmp) await rm(tmp, { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error('test run failed to start:', err);
    process.exit(1);
  },
);
