// The console's production build: console/ → dist/console (see build.ts).
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

const here = path.dirname(fileURLToPath(import.meta.url));

export default defineConfig({
  root: here,
  base: '/',
  plugins: [react()],
  logLevel: 'warn',
  build: { outDir: path.resolve(here, '../dist/console'), emptyOutDir: true, chunkSizeWarningLimit: 2000 },
});
