import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nodeBuiltinsIn, rolldownBrowserBundle, viteBrowserBundle } from './bundle-helpers';

// What another project gets: `npm pack`, installed into a fresh folder, imported with types.
const root = fileURLToPath(new URL('..', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'brox-pack-'));
const proj = join(dir, 'consumer');
const req = (dir: string) => createRequire(join(dir, 'package.json'));
const npm = (args: string[], cwd: string) => execFileSync('npm', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 240_000 });

const cjs = join(dir, 'cjs-consumer');
let installLog = '';
let packed: { path: string; size: number }[] = [];

beforeAll(() => {
  // dist/ is already built by `npm test`
  packed = JSON.parse(npm(['pack', '--json', '--ignore-scripts', '--pack-destination', dir], root))[0].files;
  const tgz = join(dir, readdirSync(dir).find((f) => f.endsWith('.tgz'))!);
  mkdirSync(proj);
  writeFileSync(join(proj, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
  // without --ignore-scripts: npm would warn here about any install-time script of brox's
  const r = spawnSync('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', tgz], { cwd: proj, encoding: 'utf8', timeout: 240_000 }); // deps come from npm ci's cache
  if (r.status !== 0) throw new Error(r.stderr);
  installLog = r.stdout + r.stderr;
  // npm's default project type: CommonJS
  mkdirSync(cjs);
  writeFileSync(join(cjs, 'package.json'), JSON.stringify({ name: 'cjs-consumer', private: true }));
  npm(['install', '--no-audit', '--no-fund', '--ignore-scripts', '--prefer-offline', tgz], cjs);
}, 300_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the npm package', () => {
  it('imports and runs BPM on the CPU without loading the Dawn addon', () => {
    writeFileSync(
      join(proj, 'use.mjs'),
      `import { createOracle, bpm, exprObjective } from 'brox';
const oracle = await createOracle({ backend: 'cpu', threads: 2 });
const r = await bpm(exprObjective({ expr: 'sum(i, (x[i] - 0.5)^2)', dim: 2 }), [2, 2], { radius: 1, radiusDecay: 0.7, samples: 40000, maxIter: 30, oracle });
oracle.destroy();
const dawn = process.report.getReport().sharedObjects.filter((s) => /dawn|webgpu/i.test(s));
console.log(JSON.stringify({ fun: r.fun, status: r.status, dawn }));
`,
    );
    const r = spawnSync(process.execPath, ['use.mjs'], { cwd: proj, encoding: 'utf8', timeout: 60_000 });
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.fun).toBeLessThan(1e-3);
    expect(out.dawn).toEqual([]);
  });

  it('ships types: correct code type-checks, wrong code does not', () => {
    const tsc = join(root, 'node_modules/typescript/bin/tsc');
    const opts = ['--noEmit', '--strict', '--module', 'nodenext', '--moduleResolution', 'nodenext', '--target', 'es2022', '--types', 'node', '--typeRoots', join(root, 'node_modules/@types')];
    writeFileSync(
      join(proj, 'good.ts'),
      `import { createOracle, bpm, getObjective, type BroxResult, type BpmResult } from 'brox';
export async function main(): Promise<number> {
  const oracle = await createOracle({ backend: 'cpu' });
  const r: BroxResult = await oracle.brox(getObjective('sphere', 2), [1, 1], 0.5, { samples: 100 });
  const b: BpmResult = await bpm('sphere', [1, 1], { radius: 1, oracle });
  return r.fun + b.fun + (b.status === 'fixed-point' ? 1 : 0);
}
`,
    );
    writeFileSync(join(proj, 'bad.ts'), `import { createOracle } from 'brox';\nconst o = await createOracle({ backend: 'gpu' });\nexport const r = await o.brox('sphere', [1], 'far');\n`);
    const good = spawnSync(process.execPath, [tsc, ...opts, 'good.ts'], { cwd: proj, encoding: 'utf8' });
    expect(good.status, good.stdout).toBe(0);
    const bad = spawnSync(process.execPath, [tsc, ...opts, 'bad.ts'], { cwd: proj, encoding: 'utf8' });
    expect(bad.status).not.toBe(0);
    expect(bad.stdout).toMatch(/"gpu"/);
    expect(bad.stdout).toMatch(/'string' is not assignable to parameter of type 'number'/);
  });

  it('layers: no Dawn and no page libraries in a consumer install; asking for the GPU names the install command', () => {
    const installed = readdirSync(join(proj, 'node_modules'));
    expect(installed).not.toContain('webgpu'); // an optional peer dependency
    expect(installed).not.toContain('uplot'); // the bench page's, bundled into it
    writeFileSync(
      join(proj, 'gpu.mjs'),
      `import { createOracle, minimize } from 'brox';
let msg = '';
try { await createOracle({ backend: 'webgpu' }); } catch (e) { msg = e.code + ' ' + e.message; }
const r = await minimize('sphere', [1, 1], { backend: 'cpu', method: 'cma-es', maxEvals: 3000, seed: 1 });
console.log(JSON.stringify({ msg, fun: r.fun }));
`,
    );
    const r = spawnSync(process.execPath, ['gpu.mjs'], { cwd: proj, encoding: 'utf8', timeout: 60_000 });
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.msg).toMatch(/^NO_ADAPTER .*npm install webgpu/);
    expect(out.fun).toBeLessThan(1e-6);
  });

  it('installs without a warning about its scripts (no prepare/install scripts in the package)', () => {
    expect(installLog).not.toMatch(/install-scripts|prepare/);
    const manifest = JSON.parse(readFileSync(join(proj, 'node_modules/brox/package.json'), 'utf8'));
    expect(Object.keys(manifest.scripts ?? {}).filter((k) => /^(pre|post)?(install|prepare)$/.test(k))).toEqual([]);
  });

  it('tarball: the library, its types and the CLI; no sourcemaps, bench programs, bench page or shaders/', () => {
    const paths = packed.map((f) => f.path);
    for (const p of ['dist/index.js', 'dist/cli.js', 'dist/cpu-worker.js', 'dist/types/src/index.d.ts', 'bin/brox.js', 'README.md', 'package.json']) expect(paths).toContain(p);
    expect(paths.filter((p) => p.endsWith('.map'))).toEqual([]);
    expect(paths.filter((p) => /^(shaders|bench)\/|^dist\/(page|bench|claims|quality|refine|headless|leaks|gpu)\b/.test(p))).toEqual([]);
    // every relative import of a shipped module is shipped (a bench-only chunk left out must not be needed)
    const pkg = join(proj, 'node_modules/brox');
    for (const p of paths.filter((p) => p.endsWith('.js'))) {
      const src = readFileSync(join(pkg, p), 'utf8');
      for (const m of src.matchAll(/(?:from\s*|import\(\s*)["'](\.{1,2}\/[^"']+)["']/g)) expect(existsSync(join(pkg, dirname(p), m[1])), `${p} imports ${m[1]}`).toBe(true);
      expect(src, p).not.toMatch(/sourceMappingURL/);
    }
    // 2.0 MB with sourcemaps; now the library, its .d.ts and the README (~110 kB): 809 kB on
    // 2026-12-05, 924 kB after bpm's resident default steps (their kernels and session) that day
    expect(packed.reduce((a, f) => a + f.size, 0)).toBeLessThan(1_000_000);
  });

  it("brox bench from the package says where it runs instead of failing on a missing file", () => {
    const r = spawnSync(join(proj, 'node_modules/.bin/brox'), ['bench'], { cwd: proj, encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/checkout of the brox repository/);
  });

  it('require() from a CommonJS project works, and runs on the CPU', () => {
    writeFileSync(
      join(cjs, 'use.js'),
      `const brox = require('brox');
brox.minimize('sphere', [1, 1], { backend: 'cpu', method: 'cma-es', maxEvals: 3000, seed: 1 }).then((r) => console.log(JSON.stringify({ fun: r.fun, names: brox.methodNames() })));
`,
    );
    const r = spawnSync(process.execPath, ['use.js'], { cwd: cjs, encoding: 'utf8', timeout: 60_000 });
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.fun).toBeLessThan(1e-6);
    expect(out.names).toContain('bpm');
  });

  it('TypeScript nodenext in a CommonJS project type-checks; method is the union of method names', () => {
    const tsc = join(root, 'node_modules/typescript/bin/tsc');
    const opts = ['--noEmit', '--strict', '--module', 'nodenext', '--moduleResolution', 'nodenext', '--target', 'es2022', '--types', 'node', '--typeRoots', join(root, 'node_modules/@types')];
    writeFileSync(
      join(cjs, 'good.ts'),
      `import { minimize, type MinimizeResult, type MethodName } from 'brox';
const m: MethodName = 'cma-es';
export const run = (): Promise<MinimizeResult> => minimize('sphere', [1, 1], { method: m, fTarget: 1e-9 });
`,
    );
    writeFileSync(join(cjs, 'bad.ts'), `import { minimize } from 'brox';\nexport const run = () => minimize('sphere', [1, 1], { method: 'nelder-mead' });\n`);
    const good = spawnSync(process.execPath, [tsc, ...opts, 'good.ts'], { cwd: cjs, encoding: 'utf8' });
    expect(good.status, good.stdout).toBe(0);
    const bad = spawnSync(process.execPath, [tsc, ...opts, 'bad.ts'], { cwd: cjs, encoding: 'utf8' });
    expect(bad.status).not.toBe(0);
    expect(bad.stdout).toMatch(/'"nelder-mead"' is not assignable to type 'MethodName/);
  });

  it('browser bundles of the package (Vite app build; rolldown for the browser, as esbuild would): no Node built-ins; only what is imported', async () => {
    writeFileSync(join(proj, 'one.js'), `import { getObjective } from 'brox';\nconsole.log(getObjective('sphere', 2).name);\n`);
    writeFileSync(join(proj, 'all.js'), `import * as brox from 'brox';\nconsole.log(brox);\n`);
    const one = await viteBrowserBundle(join(proj, 'one.js'), proj);
    const all = await viteBrowserBundle(join(proj, 'all.js'), proj);
    const esb = await rolldownBrowserBundle(join(proj, 'all.js'));
    for (const b of [one, all, esb]) {
      expect(b.warnings).toEqual([]);
      expect(nodeBuiltinsIn(b.code)).toEqual([]);
      expect(b.code).not.toMatch(/data:(text|application)\/javascript/); // no worker inlined
    }
    // "sideEffects": only getObjective's code, not the oracle (before: 58 kB + the 41 kB worker)
    const js = (b: { files: Record<string, number> }) => Object.entries(b.files).filter(([f]) => f.endsWith('.js') && !/cpu-worker-web/.test(f)).reduce((a, [, n]) => a + n, 0);
    expect(js(one)).toBeLessThan(js(all) / 3);
    expect(one.code).not.toMatch(/requestAdapter/);
    // the worker an esbuild user copies: exported under a fixed name, and the file the code loads
    expect(readFileSync(req(proj).resolve('brox/cpu-worker-web.js'), 'utf8')).toMatch(/onmessage|addEventListener\("message"/);
    expect(esb.code).toContain('assets/cpu-worker-web.js');
    expect(all.code).toMatch(/requestAdapter/);
  });

  it('installs the brox command', () => {
    const r = spawnSync(join(proj, 'node_modules/.bin/brox'), ['list', '--json'], { cwd: proj, encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).length).toBe(11);
  });
});
