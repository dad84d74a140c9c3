import './test/node20-polyfills.ts';
import { builtinModules } from 'node:module';
import { defineConfig } from 'vitest/config';

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
    sourcemap: true,
    lib: {
      entry: { index: 'src/index.ts', cli: 'src/cli/main.ts', bench: 'bench/throughput.ts', 'cpu-worker': 'src/oracle/cpu-worker.ts', headless: 'bench/headless/main.ts', quality: 'bench/quality/main.ts',
        refine: 'bench/refine/main.ts', claims: 'bench/claims/main.ts',
        bbob: 'bench/bbob/main.ts',
        leaks: 'bench/leaks.ts', gpu: 'bench/gpu/device.ts' },
      formats: ['es'],
    },
    rolldownOptions: {
      // Dawn is a native addon loaded at run time only when WebGPU is wanted in Node; commander is CJS
      // and stays a runtime dependency (the bench entry imports neither, so it runs from dist/ alone).
      external: ['webgpu', 'commander', 'cli-progress', 'puppeteer-core', /^node:/, ...builtinModules],
    },
  },
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
