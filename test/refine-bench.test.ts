// The built refinement bench (dist/refine.js, built by `npm test`'s `npm run build`) on tiny
// settings: schema-conformant JSON and markdown, every returned point inside the ball and never
// better than the true ball minimiser, and refinement beating one round of the same total samples
// on the linear function at d = 20 (measured: N = 2^10, R = 4, shrink 0.5 gives a median distance
// ~0.4 against ~0.79, every seed better; gap ~0.09 against ~0.32). The true minimisers themselves
// are checked here independently (KKT conditions, and no point of the sphere does better).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { distance, FUNCTIONS, makeProblem, mulberry32 } from '../bench/refine/problems';
import { median } from '../bench/refine/report';
import { checkRefineReport, REFINE_SCHEMA, type RefineReport } from '../bench/refine/schema';

const root = fileURLToPath(new URL('..', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'brox-refine-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const bench = (args: string[]) => spawnSync(process.execPath, ['dist/refine.js', ...args], { cwd: root, encoding: 'utf8', timeout: 300_000 });

/** Every returned point lies in the ball and nothing beats the true ball minimiser. */
function expectFeasible(rep: RefineReport) {
  for (const r of rep.runs) {
    expect(r.radius, `${r.fn} d=${r.d} seed ${r.seed} ${r.setting} R=${r.rounds}`).toBeLessThanOrEqual(1 + 1e-6);
    expect(r.gap, `${r.fn} d=${r.d} seed ${r.seed} ${r.setting} R=${r.rounds}`).toBeGreaterThanOrEqual(-1e-9);
    expect(r.dist).toBeLessThanOrEqual(2 + 1e-9);
  }
}

describe('npm run bench:refine (built, tiny settings)', () => {
  it('is built', () => expect(existsSync(join(root, 'dist/refine.js'))).toBe(true));

  it('d = 2, 1 seed: the JSON conforms to the schema, the markdown has both tables', () => {
    const out = join(dir, 'tiny.json');
    const r = bench(['--dims', '2', '--seeds', '1', '--samples', '2^8', '--rounds', '2,4', '--threads', '1', '--out', out, '--quiet']);
    expect(r.status, `exit ${r.status}\n${r.stderr}`).toBe(0);
    const rep: RefineReport = JSON.parse(readFileSync(out, 'utf8'));
    expect(rep.schema).toBe(REFINE_SCHEMA);
    expect(checkRefineReport(rep)).toEqual([]);
    expect(rep.settings).toMatchObject({ functions: [...FUNCTIONS], dims: [2], seeds: 1, samples: 256, rounds: [2, 4], shrinks: [0.25, 0.5], t: 1, ball: 'l2' });
    expect(rep.machine.backend).toBe('cpu');
    // per function: one-round at 2N and 4N, refine at R = 2, 4 with each shrink
    expect(rep.runs).toHaveLength(3 * 2 * 3);
    expect(rep.runs.filter((u) => u.setting === 'one-round').map((u) => u.totalSamples).sort((a, b) => a - b)).toEqual([512, 512, 512, 1024, 1024, 1024]);
    expectFeasible(rep);
    // at d = 2 every setting gets close: a sanity check that y* is the right point at all
    for (const u of rep.runs) expect(u.dist).toBeLessThan(0.3);
    const md = readFileSync(out.replace(/\.json$/, '.md'), 'utf8');
    expect(md).toMatch(/^# brox refinement bench/);
    expect(md).toContain('| function | d | one round: dist | one round: gap | best refinement (R, shrink) |');
    expect(md).toContain('| linear | 2 | 4N |');
    expect(r.stdout).toContain('| diagquad | 2 |');
    // the schema checker is not a rubber stamp
    expect(checkRefineReport({ ...rep, runs: rep.runs.slice(1) })).not.toEqual([]);
    expect(checkRefineReport({ ...rep, runs: [{ ...rep.runs[0], setting: 'refine', rounds: 3 }, ...rep.runs.slice(1)] })).not.toEqual([]);
  });

  it('linear, d = 20: refinement (R = 4, shrink 0.5) beats one round of the same 4N samples', () => {
    const out = join(dir, 'lin20.json');
    const r = bench(['--functions', 'linear', '--dims', '20', '--seeds', '3', '--samples', '2^10', '--rounds', '4', '--shrinks', '0.5', '--threads', '1', '--out', out, '--quiet']);
    expect(r.status, `exit ${r.status}\n${r.stderr}`).toBe(0);
    const rep: RefineReport = JSON.parse(readFileSync(out, 'utf8'));
    expect(checkRefineReport(rep)).toEqual([]);
    expectFeasible(rep);
    const one = rep.runs.filter((u) => u.setting === 'one-round');
    const ref = rep.runs.filter((u) => u.setting === 'refine');
    expect(one.map((u) => u.totalSamples)).toEqual([4096, 4096, 4096]);
    expect(ref.map((u) => u.totalSamples)).toEqual([4096, 4096, 4096]);
    for (let s = 0; s < 3; s++) {
      expect(ref[s].dist).toBeLessThan(one[s].dist);
      expect(ref[s].gap).toBeLessThan(one[s].gap);
    }
    expect(median(ref.map((u) => u.dist))).toBeLessThan(0.7 * median(one.map((u) => u.dist)));
    expect(median(ref.map((u) => u.gap))).toBeLessThan(0.5 * median(one.map((u) => u.gap)));
    // the refined winners come from a later round, not from round 0
    expect(ref.every((u) => u.winnerRound > 0)).toBe(true);
  });

  it('rejects bad flags with a usage message (exit 2)', () => {
    for (const args of [['--samples', 'lots'], ['--functions', 'rastrigin'], ['--shrinks', '1.5'], ['--rounds', '1'], ['--backend', 'tpu']]) {
      const r = bench([...args, '--out', join(dir, 'bad.json')]);
      expect(r.status, args.join(' ')).toBe(2);
      expect(r.stderr).toContain(args[0]);
    }
  });
});

describe('the true ball minimisers', () => {
  const sphere = (rnd: () => number, x: number[], t: number) => {
    const v = x.map(() => Math.sqrt(-2 * Math.log(1 - rnd())) * Math.cos(2 * Math.PI * rnd()));
    const n = Math.hypot(...v);
    return x.map((xi, i) => xi + (t * v[i]) / n);
  };

  for (const fn of FUNCTIONS)
    for (const d of [2, 5, 20, 100])
      it(`${fn}, d = ${d}: on the sphere, KKT holds, and no random point of the ball does better`, () => {
        for (let seed = 0; seed < 3; seed++) {
          const p = makeProblem(fn, d, seed);
          expect(distance(p.yStar, p.x)).toBeCloseTo(p.t, 12);
          expect(p.fStar).toBeLessThan(p.fCenter);
          // grad f(y*) = -2 lambda (y* - x) with lambda >= 0 (linear: grad = g = -(y* - x)/t)
          const h = 1e-6;
          const grad = p.yStar.map((_, i) => {
            const up = p.yStar.slice();
            const dn = p.yStar.slice();
            up[i] += h;
            dn[i] -= h;
            return (p.objective.js(up) - p.objective.js(dn)) / (2 * h);
          });
          const dir = p.yStar.map((y, i) => y - p.x[i]);
          const mult = fn === 'linear' ? 1 / p.t : 2 * p.lambda;
          expect(mult).toBeGreaterThan(0);
          const scale = Math.hypot(...grad);
          for (let i = 0; i < d; i++) expect(Math.abs(grad[i] + mult * dir[i])).toBeLessThan(1e-6 * Math.max(1, scale));
          const rnd = mulberry32(seed + 99);
          for (let k = 0; k < 2000; k++) {
            const y = sphere(rnd, p.x, p.t);
            expect(p.objective.js(y)).toBeGreaterThanOrEqual(p.fStar - 1e-12 * Math.max(1, Math.abs(p.fStar)));
          }
        }
      });

  it('the WGSL text carries the same float32 coefficients as the JS twin', () => {
    const p = makeProblem('diagquad', 5, 1);
    const nums = (s: string) => (s.match(/-?\d+\.\d+(e[+-]?\d+)?/g) ?? []).map(Number);
    const distinct = (s: string) => [...new Set(nums(s).filter((v) => v !== 0))].sort((a, b) => a - b);
    expect(distinct(p.objective.wgsl)).toHaveLength(10); // 5 a_i, 5 c_i
    expect(distinct(p.objective.js.toString())).toEqual(distinct(p.objective.wgsl));
    for (const v of nums(p.objective.wgsl)) expect(Math.fround(v)).toBe(v);
  });
});
