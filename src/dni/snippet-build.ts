// Building the snippet (src/dni/snippet/main.ts) into one browser script,
// dist/dni.js, with esbuild: no runtime dependencies, minified. Run on
// `npm install` (the prepare script), by test/run.ts before the tests, and by
// GET /dni.js when the file is missing.
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const SNIPPET_ENTRY = path.join(ROOT, 'src/dni/snippet/main.ts');
export const SNIPPET_FILE = path.join(ROOT, 'dist/dni.js');
/** Browsers the snippet's syntax is lowered for. */
const TARGET = ['chrome80', 'firefox78', 'safari13', 'edge80'];

/** Build the snippet to `outFile` (written whole, then renamed into place) and answer its text. */
export async function buildSnippet(outFile: string = SNIPPET_FILE): Promise<string> {
  const result = await build({
    entryPoints: [SNIPPET_ENTRY],
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: TARGET,
    minify: true,
    legalComments: 'none',
    charset: 'utf8',
    write: false,
    logLevel: 'silent',
  });
  const text = result.outputFiles[0]!.text;
  await mkdir(path.dirname(outFile), { recursive: true });
  // a unique temporary name: concurrent builds (test files, processes) never see half a file
  const tmp = `${outFile}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  await writeFile(tmp, text);
  await rename(tmp, outFile);
  return text;
}

/** The built snippet; built first when the file is missing. */
export async function loadSnippet(file: string = SNIPPET_FILE): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    return buildSnippet(file);
  }
}

// `node --import tsx src/dni/snippet-build.ts` (npm's prepare script)
if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  const text = await buildSnippet();
  console.log(`built ${path.relative(process.cwd(), SNIPPET_FILE)} (${text.length} bytes)`);
}
