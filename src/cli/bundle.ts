// The second step of `npm run build`, after tsc: esbuild packs the compiled
// JavaScript of the `ringpath` command (dist/cli/entry.js and everything it
// loads, statically or when a command runs) into dist/bundle/, split at each
// dynamic import so a command still loads only its own code. Fewer, larger files
// start faster than hundreds of small modules: commander and libphonenumber-js
// are packed in too; every other package stays in node_modules. dist/bundle/ is as deep as
// dist/db/, so paths relative to a module (../../migrations) still hold.
//
//   node dist/cli/bundle.js      (run by npm run build)
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build, type Plugin } from 'esbuild';

/** Packages packed into the bundle; every other import of a package stays an import. */
const PACKED = new Set(['libphonenumber-js', 'commander']);

const packageName = (specifier: string): string =>
  specifier.split('/').slice(0, specifier.startsWith('@') ? 2 : 1).join('/');

const externalPackages: Plugin = {
  name: 'external-packages',
  setup(b) {
    // bare specifiers: packages and node: builtins
    b.onResolve({ filter: /^[^./]/ }, (args) => (PACKED.has(packageName(args.path)) ? undefined : { path: args.path, external: true }));
  },
};

/** Bundles `<dist>/cli/entry.js` into `<dist>/bundle/`; answers how many files it wrote. */
export async function bundleCli(dist: string): Promise<number> {
  // chunk names change with their content: no chunk of an earlier build is kept
  await rm(path.join(dist, 'bundle'), { recursive: true, force: true });
  const result = await build({
    entryPoints: [path.join(dist, 'cli/entry.js')],
    outdir: path.join(dist, 'bundle'),
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    chunkNames: 'chunk-[hash]',
    plugins: [externalPackages],
    // commander is CommonJS: its require() of node builtins needs a require in an ES module
    banner: { js: "import { createRequire as __bundleRequire } from 'node:module'; const require = __bundleRequire(import.meta.url);" },
    metafile: true,
    logLevel: 'error',
  });
  return Object.keys(result.metafile.outputs).length;
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  const dist = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
  const files = await bundleCli(dist);
  console.log(`bundled ${path.relative(process.cwd(), path.join(dist, 'bundle'))} (${files} files)`);
}
