import { readFileSync } from 'node:fs';
import path from 'node:path';
import t from 'tap';
import { licenceVerdict, productionDependencies } from '../support/licenses.ts';
import { REPO_ROOT } from '../support/process.ts';

t.test('which licence fields allow an Apache-2.0 ringpath', async (t) => {
  const cases: Array<[string, unknown, boolean]> = [
    ['MIT', 'MIT', true],
    ['ISC', 'ISC', true],
    ['BlueOak', 'BlueOak-1.0.0', true],
    ['a choice with one permissive side', '(MIT OR GPL-3.0-only)', true],
    ['both sides needed, one copyleft', '(MIT AND GPL-3.0-only)', false],
    ['both permissive', 'MIT AND BSD-3-Clause', true],
    ['GPL', 'GPL-3.0-or-later', false],
    ['AGPL', 'AGPL-3.0-only', false],
    ['LGPL is flagged for review', 'LGPL-2.1-only', false],
    ['SSPL', 'SSPL-1.0', false],
    ['not SPDX', 'Free as in Beer', false],
    ['missing', undefined, false],
    ['empty', '', false],
  ];
  for (const [name, licence, ok] of cases) t.equal(licenceVerdict('some-package', licence).ok, ok, name);
  t.ok(licenceVerdict('nonce', 'Free as in Hugs').ok, 'a package reviewed by hand is allowed with its reason');
});

t.test('ringpath is Apache-2.0, with the licence text', async (t) => {
  const pkg = JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { license: string; private?: boolean };
  t.equal(pkg.license, 'Apache-2.0');
  t.equal(pkg.private, undefined, 'not private');
  t.match(readFileSync(path.join(REPO_ROOT, 'LICENSE'), 'utf8'), /Apache License\s+Version 2\.0, January 2004[\s\S]*END OF TERMS AND CONDITIONS/);
});

t.test('every production dependency has a licence compatible with Apache-2.0', async (t) => {
  const deps = productionDependencies(REPO_ROOT);
  t.ok(deps.length > 50, `the whole tree is read (${deps.length} packages)`);
  const refused = deps.flatMap((d) => {
    const v = licenceVerdict(d.name, d.licence);
    return v.ok ? [] : [`${d.name}@${d.version}: ${v.why}`];
  });
  t.same(refused, []);
});
