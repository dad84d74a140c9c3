// The built claims bench (dist/claims.js, built by `npm test`'s `npm run build`) on tiny settings:
// schema-conformant JSON and markdown, and the properties the papers claim, which a broken BPM or
// oracle would fail. Measured on the CPU backend (deterministic for a seed): rastrigin d = 2 from
// (4, 4) with N = 2^14, t = 1.5 ends at f = 2.3e-4 and 3.8e-5 (seeds 0, 1), t = 0.3 at 31.8 (a local
// minimum) for every seed; sphere distances never increase; the sampled fixed points of the sphere at
// d = 10 are artefacts (certificate fraction ~1e-3..1e-5 > 0); wavy-bowl with t = 0.3 stops at the
// local minimum x = 3.9594 while BPM with t >= 1 from there reaches f < 1e-6.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { wavyLocalMin } from '../bench/claims/experiments';
import { checkClaimsReport, CLAIMS_SCHEMA, type ClaimsReport } from '../bench/claims/schema';

const root = fileURLToPath(new URL('..', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'brox-claims-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const bench = (args: string[]) => spawnSync(process.execPath, ['dist/claims.js', ...args], { cwd: root, encoding: 'utf8', timeout: 300_000 });

describe('npm run bench:claims (built, tiny settings)', () => {
  let rep: ClaimsReport;
  let md: string;
  let stdout: string;
  const out = join(dir, 'tiny.json');

  beforeAll(() => {
    const r = bench(['--seeds', '2', '--ts', '0.3,1.5', '--samples', '2^14', '--max-iter', '100', '--fp-samples', '2^6,2^14', '--fp-dims', '2,10', '--fp-seeds', '2', '--cert-samples', '2^18', '--threads', '1', '--out', out, '--quiet']);
    expect(r.status, `exit ${r.status}\n${r.stderr}`).toBe(0);
    rep = JSON.parse(readFileSync(out, 'utf8'));
    md = readFileSync(out.replace(/\.json$/, '.md'), 'utf8');
    stdout = r.stdout;
  });

  it('is built', () => expect(existsSync(join(root, 'dist/claims.js'))).toBe(true));

  it('writes JSON that conforms to the schema, and the markdown with one section per claim', () => {
    expect(rep.schema).toBe(CLAIMS_SCHEMA);
    expect(checkClaimsReport(rep)).toEqual([]);
    expect(rep.machine.backend).toBe('cpu');
    expect(rep.overMinima.settings).toEqual({ ts: [0.3, 1.5], seeds: 2, samples: 2 ** 14, maxIter: 100, gapTol: 1e-2 });
    expect(rep.overMinima.runs).toHaveLength(2 * 2 * 2);
    expect(rep.distance.runs).toHaveLength(rep.distance.cases.length * 2);
    expect(rep.fixedPoint.samples.runs).toHaveLength(2 * 2 * 2);
    expect(md).toMatch(/^# brox: the papers' claims, measured/);
    for (const h of ['## 1. Stepping over local minima', '## 2. Distances to the minimiser set', '## 3. Where the sampled fixed point is not optimal']) expect(md).toContain(h);
    expect(md).toContain('| t | basin | solved | median f - f* | median steps | statuses |');
    expect(stdout).toContain('**(b) t too small.**');
    // the checker is not a rubber stamp
    const bad = (f: (r: ClaimsReport) => void) => {
      const c = structuredClone(rep);
      f(c);
      return checkClaimsReport(c);
    };
    expect(bad((c) => c.overMinima.runs.pop())).not.toEqual([]);
    expect(bad((c) => (c.overMinima.runs[0].solved = !c.overMinima.runs[0].solved))).not.toEqual([]);
    expect(bad((c) => (c.overMinima.summary[0].basin += 1))).not.toEqual([]);
    expect(bad((c) => (c.distance.runs[0].increases += 1))).not.toEqual([]);
    expect(bad((c) => (c.distance.runs[0].dist = c.distance.runs[0].dist.slice(1)))).not.toEqual([]);
    expect(bad((c) => (c.fixedPoint.samples.runs[0].fraction = 2))).not.toEqual([]);
    expect(bad((c) => (c.fixedPoint.radius.probes = []))).not.toEqual([]);
  });

  it('claim 1: rastrigin d = 2 from (4, 4): t = 1.5 steps over the local minima to f < 1e-2, t = 0.3 stops at a local minimum', () => {
    const runs = (t: number) => rep.overMinima.runs.filter((u) => u.caseId === 'rastrigin-2' && u.t === t);
    for (const u of runs(1.5)) {
      expect(u.basin, `seed ${u.seed}`).toBe(true);
      expect(u.gap, `seed ${u.seed}`).toBeLessThan(1e-2);
    }
    for (const u of runs(0.3)) {
      expect(u.basin, `seed ${u.seed}`).toBe(false);
      expect(u.gap, `seed ${u.seed}`).toBeGreaterThan(1);
      expect(u.status).toBe('fixed-point');
    }
    // wavy-bowl d = 1 from 4.3 shows the same transition
    const w = (t: number) => rep.overMinima.summary.find((u) => u.caseId === 'wavy-bowl-1' && u.t === t)!;
    expect(w(1.5).basinRate).toBe(1);
    expect(w(0.3).basinRate).toBe(0);
  });

  it('claim 2: dist(x_k, X*) never increases on sphere and twin-wells, never on the quadratic while no minimiser is in the ball; the t^2 decrease mostly holds', () => {
    const byCase = (id: string) => rep.distance.runs.filter((u) => u.caseId === id);
    for (const id of ['sphere-2', 'sphere-10', 'twin-wells-2']) {
      for (const u of byCase(id)) {
        expect(u.increases, `${id} seed ${u.seed}`).toBe(0);
        for (let k = 1; k < u.dist.length; k++) expect(u.dist[k]).toBeLessThanOrEqual(u.dist[k - 1]);
      }
    }
    for (const u of byCase('quadratic-2')) expect(u.increasesFar).toBe(0);
    for (const c of rep.distance.cases.filter((q) => q.aligned)) {
      const x0 = Math.min(...c.minimisers.map((p) => Math.hypot(...p.map((v, i) => v - c.x0[i]))));
      for (const u of byCase(c.id)) {
        expect(u.dist[0]).toBeCloseTo(x0, 12);
        // BPM got into a ball around X* and beyond: the last iterate is well inside it (d = 10: the
        // sampled fixed point stalls near 0.35 t with 2^14 samples, claim 3a)
        expect(u.dist[u.dist.length - 1], `${c.id} seed ${u.seed}`).toBeLessThan((c.dim > 2 ? 0.5 : 0.1) * c.t);
        // while the ball holds no minimiser, each step moves about t towards X* (exact BPM: dist^2 drops by >= t^2)
        expect(u.checks).toBeGreaterThanOrEqual(Math.floor((x0 - c.t) / c.t));
        expect(u.medianStepRatio!).toBeGreaterThan(0.9);
      }
      const row = rep.distance.summary.find((r) => r.caseId === c.id)!;
      expect(row.held / row.checks, c.id).toBeGreaterThanOrEqual(0.9);
    }
  });

  it('claim 3a: the sampled fixed points of the sphere are artefacts of too few samples (certificate > 0), worse with larger d and smaller N', () => {
    const sa = rep.fixedPoint.samples;
    for (const u of sa.runs) {
      expect(u.status).toBe('fixed-point');
      expect(u.gap).toBeGreaterThan(0);
      if (u.d === 10) expect(u.fraction, `d=${u.d} N=${u.samples} seed ${u.seed}`).toBeGreaterThan(0);
    }
    const g = (d: number, n: number) => sa.summary.find((u) => u.d === d && u.samples === n)!.medianGap;
    expect(g(2, 2 ** 6)).toBeGreaterThan(g(2, 2 ** 14));
    expect(g(10, 2 ** 6)).toBeGreaterThan(g(10, 2 ** 14));
    expect(g(10, 2 ** 14)).toBeGreaterThan(100 * g(2, 2 ** 14));
  });

  it('claim 3b: wavy-bowl with t = 0.3 stops at a local minimum; balls of radius >= 1 around it hold better points and BPM with them reaches f*', () => {
    const ra = rep.fixedPoint.radius;
    expect(ra.stop.status).toBe('fixed-point');
    expect(Math.abs(ra.stop.x[0] - ra.stop.localMin.x[0])).toBeLessThan(1e-2);
    expect(ra.stop.localMin.x[0]).toBeCloseTo(3.9594, 3);
    expect(ra.stop.fun).toBeGreaterThan(15);
    const p = (t: number) => ra.probes.find((q) => q.t === t)!;
    expect(p(0.3).improvement).toBeLessThan(1e-6); // nothing but sampling resolution around the local minimum
    for (const t of [1, 1.5]) {
      expect(p(t).fraction).toBeGreaterThan(0.1);
      expect(p(t).improvement).toBeGreaterThan(5);
      expect(p(t).continued.fun).toBeLessThan(1e-6);
    }
  });

  it('the local minimiser of wavy-bowl by Newton is a stationary point next to each integer', () => {
    for (const k of [-3, 1, 4, 7]) {
      const z = wavyLocalMin(k + 0.2);
      expect(Math.abs(z - k)).toBeLessThan(0.1);
      expect(Math.abs(2 * z + 10 * Math.PI * Math.sin(2 * Math.PI * z))).toBeLessThan(1e-9);
    }
  });

  it('the committed report (bench/results/claims-latest.json, built into the page) conforms to the schema', () => {
    const f = join(root, 'bench/results/claims-latest.json');
    expect(existsSync(f)).toBe(true);
    expect(checkClaimsReport(JSON.parse(readFileSync(f, 'utf8')))).toEqual([]);
  });

  it('usage errors exit 2 with the usage', () => {
    const r = bench(['--ts', '0,1']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/--ts: '0' is not a positive number/);
    expect(bench(['--cases', 'nope']).status).toBe(2);
  });
});
