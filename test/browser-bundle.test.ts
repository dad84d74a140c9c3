import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { nodeBuiltinsIn, viteBrowserBundle } from './bundle-helpers';

// A browser app that bundles brox from its sources (Vite, browser defaults): no Node built-in may
// reach the bundle (Vite would stub it and warn "externalized for browser compatibility"), and the
// Node worker script must not be inlined as a data URL. The packaged dist/ is bundled the same way
// (and with rolldown for the browser, esbuild's stand-in) in package.test.ts.
const root = fileURLToPath(new URL('..', import.meta.url));

describe('browser bundle of src/index.ts', () => {
  it('has no Node built-ins, no warnings, no inlined Node worker', async () => {
    // an app using all of it (an entry's own exports are dropped in an app build)
    const dir = join(root, 'test/_bundle');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'app.js'), `import * as brox from '../../src/index.ts';\nconsole.log(brox);\n`);
    const b = await viteBrowserBundle(join(dir, 'app.js'), root);
    expect(b.code.length).toBeGreaterThan(100_000);
    expect(b.warnings).toEqual([]);
    expect(nodeBuiltinsIn(b.code)).toEqual([]);
    expect(b.code).not.toMatch(/data:(text|application)\/javascript/);
    expect(Object.keys(b.files).some((f) => /cpu-worker-web.*\.js$/.test(f))).toBe(true); // the browser's worker, as a file
  });

  it('the detector finds what it is for', () => {
    expect(nodeBuiltinsIn(`import { readFileSync } from "node:fs";\nconst p = await import('node:path');`)).toEqual(['node:fs', 'node:path']);
    expect(nodeBuiltinsIn('import x from "__vite-browser-external:node:os"')).toContain('__vite-browser-external');
    expect(nodeBuiltinsIn('const nodeImport = (spec) => import(spec);')).toEqual([]);
  });
});
