import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

// The in-browser benchmark page (bench/page), served by `npm run dev`, built into dist/page.
export default defineConfig({
  root: fileURLToPath(new URL('./page', import.meta.url)),
  base: './',
  build: { outDir: fileURLToPath(new URL('../dist/page', import.meta.url)), emptyOutDir: true, target: 'es2022' },
  worker: { format: 'es' },
  server: { host: '127.0.0.1' },
});
