import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

// The drop-in CLI as other tools use it: built binary, stdin/stdout, exit codes.
const root = fileURLToPath(new URL('..', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'brox-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const brox = (args: string[], input?: string) => spawnSync(process.execPath, ['bin/brox.js', ...args], { cwd: root, encoding: 'utf8', input, timeout: 120_000 });
const json = (r: ReturnType<typeof brox>) => {
  expect(r.status, r.stderr).toBe(0);
  return JSON.parse(r.stdout);
};

describe('brox CLI: objectives from expressions, files and data', () => {
  it('--help works on every command', () => {
    for (const cmd of ['run', 'brox', 'eval', 'list', 'serve']) {
      const r = brox([cmd, '--help']);
      expect(r.status, cmd).toBe(0);
      expect(r.stdout).toMatch(new RegExp(`Usage: brox ${cmd}`));
    }
    expect(brox(['bench', '--help']).stdout).toMatch(/usage: npm run bench/);
  });

  it('run --expr, brox --expr and eval --expr agree with the built-in', () => {
    const r = json(brox(['run', '--expr', 'sum(i, (x[i]-1)^2)', '--dim', '3', '--backend', 'cpu', '--samples', '20000', '--radius', '1', '--radius-decay', '0.7', '--max-iter', '40', '--json']));
    expect(r.fun).toBeLessThan(1e-4);
    const b = json(brox(['brox', '--expr', 'sum(i, x[i]^2 - 10*cos(2*pi*x[i])) + 10*n', '--dim', '2', '--x', '4,4', '--radius', '1.5', '--samples', '5000', '--backend', 'cpu', '--json']));
    const c = json(brox(['brox', '--objective', 'rastrigin', '--dim', '2', '--x', '4,4', '--radius', '1.5', '--samples', '5000', '--backend', 'cpu', '--json']));
    expect(b.index).toBe(c.index);
    expect(b.fun).toBeCloseTo(c.fun, 9);
    const e = json(brox(['eval', '--expr', 'sum(i, x[i]^2)', '--backend', 'webgpu', '--json'], '[[1,2],[3,4]]'));
    expect(e).toEqual({ values: [5, 25], backend: 'webgpu' });
    expect(brox(['eval', '--objective', 'sphere', '--backend', 'cpu'], '1,2\n3 4\n[0,1]\n').stdout).toBe('5\n25\n1\n');
  });

  it('--wgsl F --js F: a user objective on both backends', () => {
    writeFileSync(join(dir, 'shifted.wgsl'), 'fn objective(x: ptr<function, array<f32, DIM>>) -> f32 {\n  var s = 0.0;\n  for (var i = 0u; i < DIM; i++) { let v = (*x)[i] - 2.0; s += v * v; }\n  return s;\n}\n');
    writeFileSync(join(dir, 'shifted.mjs'), 'export default (x) => { let s = 0; for (const v of x) s += (v - 2) ** 2; return s; };\n');
    const args = ['brox', '--wgsl', join(dir, 'shifted.wgsl'), '--js', join(dir, 'shifted.mjs'), '--dim', '3', '--x', '0,0,0', '--radius', '1', '--samples', '4000', '--json'];
    const g = json(brox([...args, '--backend', 'webgpu']));
    const c = json(brox([...args, '--backend', 'cpu']));
    expect(g.index).toBe(c.index);
    writeFileSync(join(dir, 'broken.wgsl'), 'fn objective(x: ptr<function, array<f32, DIM>>) -> f32 {\n  return oops;\n}\n');
    const bad = brox(['brox', '--wgsl', join(dir, 'broken.wgsl'), '--js', join(dir, 'shifted.mjs'), '--dim', '2', '--backend', 'webgpu', '--json']);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/objective\.wgsl: WGSL of objective 'broken' does not compile: line 2, column 10: .*oops/);
    expect(JSON.parse(bad.stdout).error.code).toBe('WGSL_COMPILE');
    expect(brox(['brox', '--wgsl', join(dir, 'shifted.wgsl'), '--dim', '2']).stderr).toMatch(/--js: user objectives need both --wgsl FILE and --js FILE/);
  });

  it('--data: least squares from CSV, JSON and raw float32 give the same answer', () => {
    const rows = [[1, 0, 1], [0, 1, 2], [1, 1, 3.1], [2, 1, 4]];
    writeFileSync(join(dir, 'ls.csv'), 'a,b,target\n' + rows.map((r) => r.join(',')).join('\n'));
    writeFileSync(join(dir, 'ls.json'), JSON.stringify({ A: rows.map((r) => r.slice(0, 2)), y: rows.map((r) => r[2]) }));
    writeFileSync(join(dir, 'ls.f32'), Buffer.from(new Float32Array(rows.flat()).buffer));
    const run = (file: string, extra: string[] = []) =>
      json(brox(['run', '--objective', 'least-squares', '--data', join(dir, file), ...extra, '--radius', '1', '--radius-decay', '0.7', '--samples', '20000', '--max-iter', '40', '--backend', 'cpu', '--json']));
    const a = run('ls.csv');
    const b = run('ls.json');
    const c = run('ls.f32', ['--shape', '4,3']);
    for (const r of [a, b, c]) {
      expect(r.x[0]).toBeCloseTo(1.0, 1); // normal equations give (1.0, 2.0) up to the noise in row 3
      expect(r.x[1]).toBeCloseTo(2.0, 1);
    }
    expect(brox(['run', '--objective', 'least-squares', '--data', join(dir, 'ls.f32')]).stderr).toMatch(/shape: raw float32 data needs its shape/);
    expect(brox(['run', '--objective', 'rastrigin', '--data', join(dir, 'ls.csv')]).stderr).toMatch(/--objective: with --data it must be one of least-squares, logistic, phase-retrieval/);
    expect(brox(['run', '--objective', 'logistic', '--data', join(dir, 'missing.csv')]).stderr).toMatch(/data: cannot read/);
  });

  it('rejects two objective sources at once, naming the options', () => {
    const r = brox(['run', '--objective', 'sphere', '--expr', 'x[0]']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/give one of --objective NAME, --expr/);
  });
});

describe('brox serve: JSON lines over stdin/stdout', () => {
  const serve = (lines: unknown[], args: string[] = ['--backend', 'cpu']) => {
    const input = lines.map((l) => (typeof l === 'string' ? l : JSON.stringify(l))).join('\n') + '\n';
    const r = brox(['serve', ...args], input);
    expect(r.status, r.stderr).toBe(0); // EOF ends it cleanly
    return r.stdout.trim().split('\n').map((l) => JSON.parse(l));
  };

  it('define once, use by name; every response carries its id; bad lines get errors and serving goes on', () => {
    const res = serve([
      { id: 'a', method: 'info' },
      { id: 1, method: 'define', params: { name: 'bowl', expr: 'sum(i, x[i]^2)', dim: 3 } },
      'this is not json',
      { id: 2, method: 'bpm', params: { objective: 'bowl', x0: [2, -1, 1], radius: 1, radiusDecay: 0.7, samples: 20000, maxIter: 40 } },
      { id: 3, method: 'brox', params: { objective: 'rastrigin', x: [4, 4], t: 1.5, samples: 4096, seed: 1 } },
      { id: 4, method: 'evaluate', params: { objective: 'bowl', points: [[1, 1, 1], [0, 0, 2]] } },
      { id: 5, method: 'teleport' },
      { id: 6, method: 'brox', params: { objective: 'bowl', x: [1, 1], t: 1 } },
      { id: 7, method: 'define', params: { name: 'bad', expr: 'sum(i, x[i]^2) + cosh(x[0])', dim: 2 } },
      { id: 8, method: 'define', params: { name: 'code', wgsl: 'fn objective(x: ptr<function, array<f32, DIM>>) -> f32 { return 0.0; }', js: '(x) => 0', dim: 2 } },
      [1, 2],
      { id: 9, method: 'define', params: { name: 'ls', data: { kind: 'least-squares', A: [[1, 0], [0, 1]], y: [3, 4] } } },
      { id: 10, method: 'bpm', params: { objective: 'ls', x0: [0, 0], radius: 2, radiusDecay: 0.7, samples: 20000, maxIter: 40 } },
    ]);
    expect(res.map((r) => r.id)).toEqual(['a', 1, null, 2, 3, 4, 5, 6, 7, 8, null, 9, 10]);
    expect(res[0].result).toMatchObject({ version: '0.1.0', backend: 'cpu', adapter: null });
    expect(res[1].result).toEqual({ name: 'bowl', dim: 3 });
    expect(res[2].error.code).toBe('PARSE_ERROR');
    expect(res[3].result.fun).toBeLessThan(1e-4);
    expect(Object.keys(res[3].result)).toEqual(['x', 'fun', 'nit', 'nfev', 'success', 'status', 'message', 'backend']);
    expect(res[4].result).toMatchObject({ index: expect.any(Number), improved: true, nfev: 4097 });
    expect(res[5].result).toEqual({ values: [3, 4] });
    expect(res[6].error).toMatchObject({ code: 'METHOD_NOT_FOUND' });
    expect(res[7].error).toMatchObject({ code: 'INVALID_ARGUMENT', argument: 'x', message: expect.stringMatching(/must have length 3/) });
    expect(res[8].error.message).toBe("expr: column 18: unknown function 'cosh'; known: sin, cos, tan, exp, log, sqrt, abs, floor, tanh, sign, min, max, pow, sum, prod");
    expect(res[9].error.code).toBe('FORBIDDEN');
    expect(res[10].error.code).toBe('INVALID_REQUEST');
    expect(res[12].result.x[0]).toBeCloseTo(3, 2);
    expect(res[12].result.x[1]).toBeCloseTo(4, 2);
  });

  it('--allow-code accepts WGSL + JS definitions; the GPU backend serves the same protocol', () => {
    const res = serve(
      [
        { id: 1, method: 'define', params: { name: 'code', wgsl: 'fn objective(x: ptr<function, array<f32, DIM>>) -> f32 { return abs((*x)[0] - 1.0) + abs((*x)[1]); }', js: '(x) => Math.abs(x[0] - 1) + Math.abs(x[1])', dim: 2 } },
        { id: 2, method: 'brox', params: { objective: 'code', x: [0, 0], t: 2, samples: 4096 } },
        { id: 3, method: 'info' },
      ],
      ['--backend', 'webgpu', '--allow-code'],
    );
    expect(res[0].result).toEqual({ name: 'code', dim: 2 });
    expect(res[1].result.backend).toBe('webgpu');
    expect(res[1].result.fun).toBeLessThan(0.1);
    expect(res[2].result.adapter.architecture).toBeTruthy();
  });

  it('a real Python client (standard library only) gets the minimum', () => {
    const r = spawnSync('python3', ['examples/brox_client.py', 'bin/brox.js', '--backend', 'cpu'], { cwd: root, encoding: 'utf8', timeout: 120_000 });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^define: \{"name": "bowl", "dim": 4\}$/m);
    expect(r.stdout).toMatch(/error \(expected\): INVALID_ARGUMENT: x: must have length 4/);
    expect(r.stdout).toMatch(/exit code: 0/);
  });
});

describe('bench/peers/peers.py (the PyTorch/JAX/NumPy versions of the bench task)', () => {
  it('runs the NumPy version and reports missing frameworks as skipped', () => {
    const r = spawnSync('python3', ['bench/peers/peers.py', '--backends', 'numpy,torch', '--dims', '2', '--samples', '20000', '--repeats', '1', '--json'], { cwd: root, encoding: 'utf8', timeout: 120_000 });
    expect(r.status, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout);
    for (const row of doc.rows) {
      if ('skipped' in row) expect(row.skipped).toMatch(/not installed/);
      else {
        expect(row).toMatchObject({ d: 2, samples: 20000 });
        expect(row.samplesPerSec).toBeGreaterThan(0);
        expect(row.best).toBeLessThan(10 * 2 + 2 * (2.5 ** 2 + 10)); // better than a bad guess: a real minimum over the ball
      }
    }
  });
});
