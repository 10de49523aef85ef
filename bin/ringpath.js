#!/usr/bin/env node
// Entry point of the `ringpath` command. It runs the compiled JavaScript in
// dist/bundle/ (`npm run build`: tsc, then esbuild; done by `npm install` and
// `npm start`) with plain node. With RINGPATH_SOURCE=1, or before the first
// build, it runs the TypeScript sources through tsx instead (the tests do).
import { existsSync } from 'node:fs';

const built = new URL('../dist/bundle/entry.js', import.meta.url);
if (process.env.RINGPATH_SOURCE !== '1' && existsSync(built)) {
  await import(built.href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../src/cli/entry.ts');
}
