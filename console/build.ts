// Builds the web console (Vite) into dist/console. Run by `npm install` (the
// prepare script) after the snippet. An install without the dev dependencies
// (a production image built elsewhere) has no Vite: it says so and builds nothing.
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));

let vite: typeof import('vite');
try {
  vite = await import('vite');
} catch {
  console.warn('ringpath: Vite is not installed (production install); the console is not built');
  process.exit(0);
}
await vite.build({ configFile: path.join(here, 'vite.config.ts') });
console.log('ringpath: console built into dist/console');
