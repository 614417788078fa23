import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

// Relative base: the same build is loaded from file:// by Electron and from the loopback browser host.
export default defineConfig({
  root: here('.'),
  base: './',
  plugins: [react()],
  build: { outDir: here('../out/renderer'), emptyOutDir: true },
});
