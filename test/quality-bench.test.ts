// The built quality bench (dist/quality.js, built by `npm test`'s `npm run build`) on a tiny
// setting: it must not crash and must write a schema-conformant JSON and the markdown table.
// Success numbers are never checked. With python3 + numpy/scipy the scipy peers run too, and
// their float64 twins of the (shifted-rotated) objectives are checked against brox's; without
// them the report must say they were not run.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { checkQualityReport, QUALITY_SCHEMA, type QualityReport } from '../bench/quality/schema';
import { builtinNames, getObjective } from '../src/objectives/registry';
import { shiftRotate } from '../src/objectives/transform';
import { mulberry32 } from './helpers';

const root = fileURLToPath(new URL('..', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'brox-quality-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const bench = (args: string[]) =>
  spawnSync(process.execPath, ['dist/quality.js', ...args], { cwd: root, encoding: 'utf8', timeout: 300_000 });

const hasScipy = spawnSync('python3', ['bench/peers/quality_scipy.py', '--version'], { cwd: root, encoding: 'utf8', timeout: 60_000 }).status === 0;

describe('npm run bench:quality (built, tiny settings)', () => {
  const out = join(dir, 'q.json');
  let rep: QualityReport;

  it('is built', () => expect(existsSync(join(root, 'dist/quality.js'))).toBe(true));

  it('runs to the end and writes the JSON and the markdown', () => {
    const r = bench(['--quick', '--functions', 'rastrigin', '--dims', '2', '--seeds', '1', '--budgets', '2^14', '--backend', 'cpu', '--threads', '1', '--out', out, '--quiet']);
    expect(r.status, `exit ${r.status}\n${r.stderr}`).toBe(0);
    expect(existsSync(out)).toBe(true);
    const md = readFileSync(out.replace(/\.json$/, '.md'), 'utf8');
    expect(md).toMatch(/^# brox quality bench/);
    expect(md).toMatch(/\| function \| variant \| d \| budget \|/);
    expect(r.stdout).toContain('| function | variant | d | budget |');
    rep = JSON.parse(readFileSync(out, 'utf8'));
  });

  it('the JSON conforms to the schema', () => {
    expect(rep.schema).toBe(QUALITY_SCHEMA);
    expect(checkQualityReport(rep)).toEqual([]);
    expect(rep.settings).toMatchObject({ functions: ['rastrigin'], dims: [2], seeds: 1, budgets: [2 ** 14], backend: 'cpu', variants: ['base', 'sr'] });
    expect(rep.cases.map((c) => c.id).sort()).toEqual(['rastrigin/base/d2', 'rastrigin/sr/d2']);
    // one run per (case, method, seed, budget), every method of the registry, no run threw
    const methods = rep.settings.methods;
    expect(methods.length).toBeGreaterThan(0);
    for (const m of methods) expect(rep.runs.filter((r) => r.method === m)).toHaveLength(2);
    expect(rep.runs.filter((r) => r.error)).toEqual([]);
    for (const r of rep.runs.filter((r) => methods.includes(r.method))) {
      expect(r.nfev).toBeLessThanOrEqual(2 ** 14);
      expect(r.inBounds).toBe(true);
    }
    expect(rep.summary.length).toBe(rep.cases.length * (methods.length + rep.peers.scipy.methods.length));
  });

  it('scipy peers: ran when numpy/scipy import, else the table says they were not run', () => {
    expect(rep.peers.scipy.ran).toBe(hasScipy);
    const md = readFileSync(out.replace(/\.json$/, '.md'), 'utf8');
    if (hasScipy) {
      expect(rep.peers.scipy.methods).toEqual(['scipy-dual_annealing', 'scipy-differential_evolution']);
      expect(rep.runs.filter((r) => r.method.startsWith('scipy-'))).toHaveLength(4);
      expect(md).toContain('scipy-dual_annealing');
    } else {
      expect(md).toMatch(/not run/);
    }
  });

  it('the seeds of a cell in one call (runs: B) are the runs of one call per seed (--sequential)', () => {
    // cma-es, cem, bpm and portfolio are deterministic per seed on the CPU backend (annealed's
    // final value has varied in the 13th digit between identical runs, so it is left out here)
    const args = ['--functions', 'rastrigin', '--dims', '2', '--seeds', '3', '--budgets', '2^13', '--methods', 'cma-es,cem,bpm,portfolio', '--backend', 'cpu', '--threads', '1', '--no-peers', '--quiet'];
    const one = bench([...args, '--out', join(dir, 'batched.json')]);
    const seq = bench([...args, '--sequential', '--out', join(dir, 'seq.json')]);
    expect(one.status, one.stderr).toBe(0);
    expect(seq.status, seq.stderr).toBe(0);
    const a: QualityReport = JSON.parse(readFileSync(join(dir, 'batched.json'), 'utf8'));
    const b: QualityReport = JSON.parse(readFileSync(join(dir, 'seq.json'), 'utf8'));
    expect(a.settings.runsPerCall).toBe(3);
    expect(b.settings.runsPerCall).toBe(1);
    const strip = (r: QualityReport) => r.runs.map(({ ms: _ms, ...run }) => run);
    expect(strip(a)).toHaveLength(2 * 4 * 3);
    expect(strip(a)).toEqual(strip(b));
  });

  it('--population: a column per (method, λ factor), λ = factor × the default, the λ tables in the markdown', () => {
    const out = join(dir, 'pop.json');
    const r = bench(['--population', '--functions', 'rastrigin', '--variants', 'base', '--dims', '2', '--seeds', '2', '--budgets', '2^12', '--lambdas', '1,2,64', '--threads', '1', '--out', out, '--quiet']);
    expect(r.status, r.stderr).toBe(0);
    const rep: QualityReport = JSON.parse(readFileSync(out, 'utf8'));
    expect(checkQualityReport(rep)).toEqual([]);
    const pop = rep.settings.population!;
    expect(pop.methods).toEqual(['cma-es', 'cem']);
    expect(pop.factors).toEqual([1, 2, 64]);
    // cma-es at d = 2: 4 + floor(3 ln 2) = 6; cem: 1000, and 64 × 1000 has more elites than the engine returns
    expect(pop.arms.filter((a) => a.method === 'cma-es').map((a) => a.samples)).toEqual([6, 12, 384]);
    expect(pop.arms.find((a) => a.label === 'cem@64x')!.why).toMatch(/elites/);
    expect(rep.settings.methods).toEqual(['cma-es@1x', 'cma-es@2x', 'cma-es@64x', 'cem@1x', 'cem@2x']);
    for (const m of rep.settings.methods) expect(rep.runs.filter((x) => x.method === m)).toHaveLength(2);
    expect(rep.peers.scipy.ran).toBe(false);
    expect(r.stdout).toContain('## Success against population size λ');
    expect(r.stdout).toContain('| case | λ = 6 (1×) | λ = 12 (2×) | λ = 384 (64×) |');
    expect(r.stdout).toMatch(/Not run: cem λ = 64000/);
  });

  it('rejects bad flags with a usage message (exit 2)', () => {
    const r = bench(['--budgets', 'lots', '--out', join(dir, 'bad.json')]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/--budgets/);
  });
});

describe.runIf(hasScipy)("quality_scipy.py: its float64 twins equal brox's (variants from brox's data)", () => {
  it('every built-in, plain and shifted-rotated, d = 1, 2, 5, 20', () => {
    const jobs: { v: { name: string; js: (x: number[]) => number }; function: string; d: number; transform: unknown; points: number[][] }[] = [];
    for (const name of builtinNames()) {
      for (const d of [1, 2, 5, 20]) {
        const base = getObjective(name, d);
        for (const v of [base, shiftRotate(base, 4)]) {
          const [lo, hi] = v.domain!;
          const rnd = mulberry32(d + 17);
          const points = Array.from({ length: 6 }, () => Array.from({ length: d }, () => lo + (hi - lo) * rnd()));
          const t = 'transform' in v ? (v as ReturnType<typeof shiftRotate>).transform : null;
          jobs.push({ v, function: name, d, transform: t, points });
        }
      }
    }
    const r = spawnSync('python3', ['bench/peers/quality_scipy.py', '--eval'], {
      cwd: root,
      encoding: 'utf8',
      input: JSON.stringify(jobs.map(({ v: _v, ...j }) => j)),
    });
    expect(r.status, r.stderr).toBe(0);
    const got = JSON.parse(r.stdout) as number[][];
    jobs.forEach((j, k) => {
      j.points.forEach((p, i) => {
        const ref = j.v.js(p);
        expect(Math.abs(got[k][i] - ref), `${j.v.name} d=${j.d} point ${i}: python ${got[k][i]} vs js ${ref}`).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(ref)));
      });
    });
  });
});
