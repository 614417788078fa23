import { cpSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'electron-vite';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

export default defineConfig({
  main: {
    build: {
      outDir: here('out/main'),
      // Dependencies stay in node_modules: better-sqlite3 loads its native binary from there (unpacked from
      // the asar by electron-builder), and kysely, zod, pdfkit are loaded as published.
      externalizeDeps: true,
      // The core host runs in its own utility process (electron/main/core-process.ts forks out/main/core-host.js).
      rolldownOptions: {
        input: { index: here('electron/main/index.ts'), 'core-host': here('electron/core-host/entry.ts') },
        // Chunks beside the entries, not in chunks/: the core host loads the core as a chunk (entry.ts), and the
        // PDF code finds its fonts beside its own file (copy-pdf-fonts below).
        output: { chunkFileNames: '[name]-[hash].js' },
      },
    },
    plugins: [
      {
        // The PDF code finds its embedded fonts beside itself (new URL('./fonts/…', import.meta.url)): once
        // bundled, beside out/main/index.js.
        name: 'copy-pdf-fonts',
        writeBundle() {
          cpSync(here('core/pdf/fonts'), here('out/main/fonts'), { recursive: true });
        },
      },
    ],
  },
  preload: {
    build: {
      outDir: here('out/preload'),
      // A sandboxed preload is loaded as a classic script: CommonJS, and `.cjs` because package.json says
      // "type": "module". It may require nothing but electron, so everything else is bundled in.
      externalizeDeps: false,
      rolldownOptions: {
        input: { index: here('electron/preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: here('renderer'),
    base: './',
    plugins: [react()],
    build: {
      outDir: here('out/renderer'),
      emptyOutDir: true,
      rolldownOptions: { input: { index: here('renderer/index.html') } },
    },
  },
});
