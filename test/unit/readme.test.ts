// Keeps the README and the configuration module telling the same story.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import t from 'tap';
import { CONFIG_DOC } from '../../src/config.ts';
import { REPO_ROOT } from '../support/process.ts';

const readme = readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8');

t.test('the Quick start has exactly the two command lines', async (t) => {
  const quick = readme.split('## Quick start')[1]!.split('\n## ')[0]!;
  const commands = [...quick.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1]!.trim());
  t.same(commands, ['npm install && npm start', 'npm test']);
});

t.test('every configuration variable is in the README table with its default', async (t) => {
  for (const [name, def] of CONFIG_DOC) {
    const row = readme.split('\n').find((l) => l.startsWith(`| \`${name}\` |`));
    t.ok(row, `${name} has a row`);
    t.ok(row?.includes(def), `${name} row shows the default ${def}`);
  }
});

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = path.join(dir, name);
    return statSync(p).isDirectory() ? sources(p) : p.endsWith('.ts') ? [p] : [];
  });
}

t.test('src/config.ts is the only reader of process.env', async (t) => {
  const readers = sources(path.join(REPO_ROOT, 'src'))
    .filter((f) => /process\.env\b/.test(readFileSync(f, 'utf8')))
    .map((f) => path.relative(REPO_ROOT, f));
  t.same(readers, ['src/config.ts']);
});
