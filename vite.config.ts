import './test/node20-polyfills.ts';
import { builtinModules } from 'node:module';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const BENCH_DIR = fileURLToPath(new URL('./bench/', import.meta.url));
const SWIFTSHADER_ICD = '/usr/lib/chromium/vk_swiftshader_icd.json';

// One config for the library/CLI/bench build (dist/) and for vitest.
export default defineConfig({
  // relative asset URLs: the browser Web Worker chunk must resolve next to the module using it
  base: './',
  build: {
    target: 'node20',
    outDir: 'dist',
    emptyOutDir: true, // tsc writes dist/types afterwards
    minify: false,
    // maps for this checkout only (no sourceMappingURL comment): the npm package ships no .map files
    // ("files" in package.json), and a comment pointing at a missing map makes consumers' tools warn
    sourcemap: 'hidden',
    lib: {
      entry: { index: 'src/index.ts', cli: 'src/cli/main.ts', bench: 'bench/throughput.ts', 'cpu-worker': 'src/oracle/cpu-worker.ts', headless: 'bench/headless/main.ts', quality: 'bench/quality/main.ts',
        refine: 'bench/refine/main.ts', claims: 'bench/claims/main.ts',
        bbob: 'bench/bbob/main.ts',
        leaks: 'bench/leaks.ts', gpu: 'bench/gpu/device.ts', resident: 'bench/resident.ts' },
      formats: ['es'],
    },
    rolldownOptions: {
      // Dawn is a native addon loaded at run time only when WebGPU is wanted in Node; commander is CJS
      // and stays a runtime dependency (the bench entry imports neither, so it runs from dist/ alone).
      external: ['webgpu', 'commander', 'cli-progress', /^csv-parse(\/|$)/, 'puppeteer-core', /^node:/, ...builtinModules],
      output: {
        // Chunks holding bench code (reachable from the bench entries only) are named bench-*.js so
        // the npm package leaves them out ("files": "!dist/bench*.js"); they stay in dist/ itself
        // because they find files relative to their own URL. test/package.test.ts checks the result.
        chunkFileNames: (chunk) => (chunk.moduleIds.some((id) => id.startsWith(BENCH_DIR)) ? 'bench-[name]-[hash].js' : '[name]-[hash].js'),
      },
    },
  },
  // the browser's CPU worker under a fixed name (dist/assets/cpu-worker-web.js, exported as
  // 'brox/cpu-worker-web.js'): bundlers that do not copy `new URL(..., import.meta.url)` assets
  // (esbuild) get told which file to put next to their output
  worker: { rolldownOptions: { output: { entryFileNames: 'assets/[name].js' } } },
  test: {
    include: ['test/**/*.test.ts'],
    // Dawn is a native addon: run test files in child processes, not worker threads.
    pool: 'forks',
    // Real WebGPU on the CPU (SwiftShader from Debian's chromium) for the kernel tests.
    env: { VK_ICD_FILENAMES: process.env.VK_ICD_FILENAMES ?? SWIFTSHADER_ICD },
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
