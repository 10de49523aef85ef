// `engines` and the dependency tree agree: npm warns EBADENGINE when the Node it
// runs on is outside a package's engines.node; on every Node ringpath supports
// (README, "Quick start") no installed package may say so.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import semver from 'semver';
import t from 'tap';
import { REPO_ROOT } from '../support/process.ts';

/** The oldest release of each Node line ringpath supports: 20 (still runs), 22 and 24 (LTS). */
const SUPPORTED = ['20.19.0', '22.13.0', '24.0.0'];

const pkg = JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { engines: { node: string } };
const lock = JSON.parse(readFileSync(path.join(REPO_ROOT, 'package-lock.json'), 'utf8')) as {
  packages: Record<string, { version?: string; engines?: { node?: string } | string[] }>;
};

t.test('package.json engines admits each supported Node line, and the Node running the tests', async (t) => {
  for (const v of [...SUPPORTED, process.version]) t.ok(semver.satisfies(v, pkg.engines.node), `${v} satisfies ${pkg.engines.node}`);
  t.notOk(semver.satisfies('18.20.0', pkg.engines.node), 'Node 18 is not claimed');
});

t.test('no package in the lock file would warn EBADENGINE on a supported Node', async (t) => {
  const bad: string[] = [];
  for (const [where, entry] of Object.entries(lock.packages)) {
    const range = Array.isArray(entry.engines) ? undefined : entry.engines?.node;
    if (!where || !range) continue;
    for (const v of SUPPORTED) if (!semver.satisfies(v, range)) bad.push(`${where.replace(/^.*node_modules\//, '')}@${entry.version} wants node ${range}, not ${v}`);
  }
  t.same(bad, []);
  const readme = readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8');
  t.match(readme, /Node\.js 22 or 24/, 'the README names the supported Node');
  t.match(readme, /22\.13 or\s+later/, 'and the least 22 that engines allows');
});
