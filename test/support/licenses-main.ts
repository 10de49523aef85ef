// `npm run licenses`: every production dependency with its licence; exits 1
// when one does not allow ringpath to be distributed under Apache-2.0.
import { licenceVerdict, productionDependencies } from './licenses.ts';
import { REPO_ROOT } from './process.ts';

const deps = productionDependencies(REPO_ROOT);
let refused = 0;
for (const d of deps) {
  const v = licenceVerdict(d.name, d.licence);
  if (!v.ok) refused++;
  console.log(`${v.ok ? 'ok ' : 'NO '} ${d.name}@${d.version}: ${v.why}`);
}
console.log(`${deps.length} production dependencies, ${refused} with a licence incompatible with Apache-2.0`);
process.exitCode = refused === 0 ? 0 : 1;
