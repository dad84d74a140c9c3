import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { Readable, Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { bpm } from '../src/bpm/bpm';
import { serveStdio } from '../src/cli/serve';
import { BroxError } from '../src/errors';
import { minimize } from '../src/methods/minimize';
import { createCpuOracle } from '../src/oracle/cpu';
import { createOracle } from '../src/oracle/create';
import type { Oracle } from '../src/oracle/types';
import { generators, getGenerator, type SampleGenerator } from '../src/rng/generator';
import { lean, leanSinCos } from '../src/rng/lean';
import { reference } from '../src/rng/reference';
import { threefry2x32r13 } from '../src/rng/threefry';
import { unitOf } from '../src/rng/words';
import { l2 } from '../src/samplers/l2';
import { pointOf } from '../src/samplers/point';
import { prepareSampler } from '../src/samplers/spec';
import { useGpuDevice } from './helpers';

// The 'lean' generator (src/rng/lean.ts, twin of shaders/rng/lean.wgsl): its own statistics on the
// TS twin (the WGSL twin draws the same numbers: test/rng.gpu.test.ts, test/sampler.gpu.test.ts),
// its bad-input errors on every entry point, and CPU = WebGPU with it.
//
// Every test has a fixed seed, so it is deterministic. Thresholds are set for a false-alarm rate
// of alpha = 1e-4 per check (Bonferroni-split where one check is many tests), stated next to each:
// a correct generator fails a given check on a given seed with probability <= 1e-4, a real bug
// (a gap or double mass in the angle, a wrong sign, a biased bit) is far outside them.

// ---------- statistics ----------

const ALPHA = 1e-4;
/** Two-sided normal quantile at ALPHA: |z| > Z2 has probability 1e-4 under H0. */
const Z2 = 3.8906;
/** One-sided upper normal quantile at ALPHA. */
const Z1 = 3.719;
/** Kolmogorov's K_alpha: P(sup|F_n - F| sqrt(n) > K) ~ 2 exp(-2 K^2) = alpha. */
const K_ALPHA = Math.sqrt(-Math.log(ALPHA / 2) / 2); // 2.2253
/** One-sample KS critical value at ALPHA (asymptotic, Stephens' finite-n correction). */
const ksCritical = (n: number) => K_ALPHA / (Math.sqrt(n) + 0.12 + 0.11 / Math.sqrt(n));
/** Two-sample KS critical value at ALPHA (asymptotic). */
const ks2Critical = (n: number, m: number) => K_ALPHA * Math.sqrt((n + m) / (n * m));
/** Chi-square critical value at upper tail `z` (normal quantile; default alpha = 1e-4), Wilson-Hilferty (slightly conservative at small df). */
const chi2Critical = (df: number, z = Z1) => df * (1 - 2 / (9 * df) + z * Math.sqrt(2 / (9 * df))) ** 3;

/** KS statistic of values already mapped through their hypothesised CDF (so U(0, 1) under H0). */
function ksUniform(u: Float64Array): number {
  const s = Float64Array.from(u).sort();
  const n = s.length;
  let d = 0;
  for (let i = 0; i < n; i++) d = Math.max(d, (i + 1) / n - s[i], s[i] - i / n);
  return d;
}
/** Two-sample KS statistic. */
function ks2(a: Float64Array, b: Float64Array): number {
  const x = Float64Array.from(a).sort();
  const y = Float64Array.from(b).sort();
  let i = 0;
  let j = 0;
  let d = 0;
  while (i < x.length && j < y.length) {
    const v = Math.min(x[i], y[j]);
    while (i < x.length && x[i] <= v) i++;
    while (j < y.length && y[j] <= v) j++;
    d = Math.max(d, Math.abs(i / x.length - j / y.length));
  }
  return d;
}
/** Pearson chi-square of counts against expected counts. */
const chi2 = (obs: ArrayLike<number>, exp: ArrayLike<number>) => Array.from(obs).reduce((s, o, i) => s + (o - exp[i]) ** 2 / exp[i], 0);

/** Standard normal CDF (Abramowitz-Stegun 7.1.26; |error| < 1.5e-7, far below the KS thresholds here). */
function phi(z: number): number {
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * x);
  const erf = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-x * x);
  return z >= 0 ? 0.5 * (1 + erf) : 0.5 * (1 - erf);
}
/** ln Gamma (Lanczos, g = 7; ~1e-15 relative). */
function lnGamma(x: number): number {
  const c = [0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7];
  x -= 1;
  let a = c[0];
  const t = x + 7.5;
  for (let i = 1; i < 9; i++) a += c[i] / (x + i);
  return 0.5 * Math.log(2 * Math.PI) + (x + 0.5) * Math.log(t) - t + Math.log(a);
}
/** Regularised lower incomplete gamma P(a, x) (series / Lentz continued fraction, Numerical Recipes 6.2). */
function gammaP(a: number, x: number): number {
  if (x <= 0) return 0;
  const front = Math.exp(-x + a * Math.log(x) - lnGamma(a));
  if (x < a + 1) {
    let term = 1 / a;
    let sum = term;
    for (let n = 1; n < 1000 && term > sum * 1e-16; n++) sum += term *= x / (a + n);
    return sum * front;
  }
  let b = x + 1 - a;
  let c = 1e300;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < 1000; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    d = Math.abs(d) < 1e-300 ? 1e-300 : d;
    c = b + an / c;
    c = Math.abs(c) < 1e-300 ? 1e-300 : c;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < 1e-16) break;
  }
  return 1 - front * h;
}
/** Chi-square CDF with k degrees of freedom. */
const chi2Cdf = (x: number, k: number) => gammaP(k / 2, x / 2);

const mean = (a: Float64Array) => a.reduce((s, v) => s + v, 0) / a.length;
function corr(a: Float64Array, b: Float64Array): number {
  const ma = mean(a);
  const mb = mean(b);
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (let i = 0; i < a.length; i++) {
    sab += (a[i] - ma) * (b[i] - mb);
    saa += (a[i] - ma) ** 2;
    sbb += (b[i] - mb) ** 2;
  }
  return sab / Math.sqrt(saa * sbb);
}

/** N draws of normalPair: sample index i >> 2, slot j = i & 3 (so four slots of N/4 consecutive samples). */
function normalPairs(gen: SampleGenerator, k0: number, k1: number, n: number): { x: Float64Array; y: Float64Array } {
  const x = new Float64Array(n);
  const y = new Float64Array(n);
  const out = new Float64Array(2);
  for (let i = 0; i < n; i++) {
    gen.normalPair(k0, k1, i >> 2, i & 3, out, 0);
    x[i] = out[0];
    y[i] = out[1];
  }
  return { x, y };
}

const TWO_PI = 2 * Math.PI;
/** Angle of (x, y) as a fraction of a turn in [0, 1), measured from angle 0. */
const turn = (x: number, y: number) => {
  const a = Math.atan2(y, x) / TWO_PI;
  return a < 0 ? a + 1 : a;
};

const N = 200_000;
const K0 = 0x2024;
const K1 = 7;

describe("lean generator: normals (N = 200k pairs, TS twin)", () => {
  const { x, y } = normalPairs(lean, K0, K1, N);

  it('each coordinate of the pair is N(0, 1): KS at alpha = 1e-4', () => {
    const crit = ksCritical(N); // 0.00498
    for (const [name, v] of [['cos', x], ['sin', y]] as const) {
      const d = ksUniform(v.map(phi));
      expect(d, `${name} coordinate KS ${d}`).toBeLessThan(crit);
    }
  });

  it('mean 0, variance 1, fourth moment 3, pair correlation 0, lag-1 correlation 0 (|z| < 3.89 each, alpha = 1e-4)', () => {
    for (const [name, v] of [['cos', x], ['sin', y]] as const) {
      const m = mean(v);
      const m2 = v.reduce((s, a) => s + a * a, 0) / N;
      const m4 = v.reduce((s, a) => s + a ** 4, 0) / N;
      expect(Math.abs(m) / Math.sqrt(1 / N), `${name} mean ${m}`).toBeLessThan(Z2);
      expect(Math.abs(m2 - 1) / Math.sqrt(2 / N), `${name} E z^2 ${m2}`).toBeLessThan(Z2); // Var(z^2) = 2
      expect(Math.abs(m4 - 3) / Math.sqrt(96 / N), `${name} E z^4 ${m4}`).toBeLessThan(Z2); // Var(z^4) = 105 - 9
      // consecutive draws (slots j, j+1 of one sample, then the next sample's slot 0)
      const lag = corr(v.subarray(0, N - 1), v.subarray(1));
      expect(Math.abs(lag) * Math.sqrt(N), `${name} lag-1 correlation ${lag}`).toBeLessThan(Z2);
    }
    const rho = corr(x, y);
    expect(Math.abs(rho) * Math.sqrt(N), `pair correlation ${rho}`).toBeLessThan(Z2);
    // x y and x^2 - y^2 are uncorrelated with each other and have mean 0 (rotation invariance)
    const xy = Float64Array.from(x, (v, i) => v * y[i]);
    const d2 = Float64Array.from(x, (v, i) => v * v - y[i] * y[i]);
    expect(Math.abs(mean(xy)) / Math.sqrt(1 / N)).toBeLessThan(Z2); // Var(xy) = 1
    expect(Math.abs(mean(d2)) / Math.sqrt(4 / N)).toBeLessThan(Z2); // Var(x^2 - y^2) = 4
  });

  it('the radius: exp(-r^2 / 2) is U(0, 1) (KS), and radius and angle are independent (8 x 8 chi-square, alpha = 1e-4)', () => {
    const u = Float64Array.from(x, (v, i) => Math.exp(-(v * v + y[i] * y[i]) / 2));
    expect(ksUniform(u)).toBeLessThan(ksCritical(N));
    const cells = new Float64Array(64);
    for (let i = 0; i < N; i++) cells[Math.min(7, Math.floor(u[i] * 8)) * 8 + Math.min(7, Math.floor(turn(x[i], y[i]) * 8))]++;
    const stat = chi2(cells, new Float64Array(64).fill(N / 64));
    expect(stat, `chi-square ${stat}`).toBeLessThan(chi2Critical(63)); // 113.6
  });
});

describe('lean generator: the angle is uniform on the circle', () => {
  const { x, y } = normalPairs(lean, K0 + 1, K1, N);
  const a = Float64Array.from(x, (v, i) => turn(v, y[i]));

  it('64 equal bins: chi-square (df 63, alpha = 1e-4), and KS of the angle', () => {
    const bins = new Float64Array(64);
    for (const v of a) bins[Math.min(63, Math.floor(v * 64))]++;
    const stat = chi2(bins, new Float64Array(64).fill(N / 64));
    expect(stat, `chi-square ${stat} bins ${Array.from(bins)}`).toBeLessThan(chi2Critical(63));
    expect(ksUniform(a)).toBeLessThan(ksCritical(N));
  });

  it('no gap or double mass at the 4 quarter-turn boundaries (pi/4 + k pi/2): windows either side, chi-square (df 8, alpha = 1e-4)', () => {
    // quarter q covers angles ((q - 1/2), (q + 1/2)) pi/2: boundaries at 1/8 + k/4 of a turn.
    // Cells: [b - w, b) and [b, b + w) for each boundary b, w = 1/256 of a turn, and the rest.
    const w = 1 / 256;
    const cells = new Float64Array(9);
    for (const v of a) {
      let cell = 8;
      for (let k = 0; k < 4; k++) {
        const off = v - (1 / 8 + k / 4);
        if (off >= -w && off < 0) cell = 2 * k;
        else if (off >= 0 && off < w) cell = 2 * k + 1;
      }
      cells[cell]++;
    }
    const exp = [...new Array(8).fill(N * w), N * (1 - 8 * w)];
    const stat = chi2(cells, exp);
    expect(stat, `cells ${Array.from(cells)}`).toBeLessThan(chi2Critical(8));
    // and across each boundary, both sides together hold 2w of the mass (|z| < 3.89)
    for (let k = 0; k < 4; k++) {
      const both = cells[2 * k] + cells[2 * k + 1];
      expect(Math.abs(both - 2 * w * N) / Math.sqrt(2 * w * N * (1 - 2 * w)), `boundary ${k}`).toBeLessThan(Z2);
    }
  });

  it('every one of the 2^25 angle words (2 quarter bits, 23 in-quarter bits) has its own angle, evenly spaced over one full turn (exhaustive)', () => {
    // Walk m = q 2^23 + f over all 2^25 values (the word's bits 31..7; bits 6..0 are unused): each
    // step must turn by one lattice step 2 pi / 2^25 (within the polynomials' error, < 0.2 step
    // at a quarter's ends). Steps in (0.5, 1.5) and a closed walk mean exactly one turn: no gap,
    // no angle drawn twice, quarter boundaries included, and the lattice is uniform.
    const step = TWO_PI / 2 ** 25;
    const sc = { s: 0, c: 0 };
    leanSinCos(0, sc);
    const first = Math.atan2(sc.s, sc.c);
    expect(Math.abs(first - (-Math.PI / 4 + step / 2)), `angle of word 0: ${first}`).toBeLessThan(0.2 * step); // the lattice is centred: midpoints
    let s0 = sc.s;
    let c0 = sc.c;
    let lo = Infinity;
    let hi = -Infinity;
    let at = -1;
    let back = 0;
    let radial = 0;
    for (let m = 1; m <= 2 ** 25; m++) {
      const mm = m % 2 ** 25;
      leanSinCos((((mm >>> 23) << 30) | ((mm & 0x7fffff) << 7)) >>> 0, sc);
      const r = (c0 * sc.s - s0 * sc.c) / step; // sin of the turn from the last angle, in steps
      if (c0 * sc.c + s0 * sc.s <= 0) back++; // turned by more than a quarter: the sine above would not tell
      if (r < lo) (lo = r), (at = m);
      if (r > hi) (hi = r), (at = m);
      radial = Math.max(radial, Math.abs(sc.s * sc.s + sc.c * sc.c - 1));
      s0 = sc.s;
      c0 = sc.c;
    }
    expect(back).toBe(0);
    expect(lo, `smallest step ${lo} (word ${at})`).toBeGreaterThan(0.5);
    expect(hi, `largest step ${hi} (word ${at})`).toBeLessThan(1.5);
    expect(radial).toBeLessThan(1e-7); // (sin, cos) on the unit circle
    // the low 7 bits do not move the angle; the quarter bits move it by exactly a quarter
    const a0 = { s: 0, c: 0 };
    for (const bits of [0x12345680, 0x7fffff80, 0x00000080]) {
      leanSinCos(bits, a0);
      leanSinCos((bits | 0x7f) >>> 0, sc);
      expect([sc.s, sc.c]).toEqual([a0.s, a0.c]);
      for (let q = 1; q < 4; q++) {
        leanSinCos((bits + q * 0x40000000) >>> 0, sc);
        const rot = Math.atan2(a0.c * sc.s - a0.s * sc.c, a0.c * sc.c + a0.s * sc.s); // turn from a0 to this
        const want = q === 2 ? Math.PI : q * (Math.PI / 2) - (q === 3 ? TWO_PI : 0);
        expect(Math.abs(Math.abs(rot) - Math.abs(want)), `bits ${bits.toString(16)} q +${q}`).toBeLessThan(1e-7);
        if (q !== 2) expect(Math.sign(rot)).toBe(Math.sign(want));
      }
    }
  });
});

describe('lean generator: l2 ball radius law P(||z|| <= r) = r^d and the norm pass', () => {
  for (const d of [2, 3, 10, 100]) {
    it(`d=${d}: ||z||^d is U(0, 1) (KS alpha = 1e-4), coordinates have mean 0 and E z_i^2 = 1/(d+2); sum of squares of d normals is chi-square_d`, () => {
      const n = 20_000;
      const z = new Float64Array(d);
      const rad = new Float64Array(n);
      const first = new Float64Array(n);
      const last = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        l2.unit(z, 11, d, i, lean);
        let s = 0;
        for (let k = 0; k < d; k++) s += z[k] * z[k];
        // the norm comes from sum r^2 = -2 ln(prod u) (as on the GPU), so ||z|| = u^(1/d) (1 +- |sin^2 + cos^2 - 1| < 4e-8)
        expect(s).toBeLessThanOrEqual(1 + 1e-7);
        rad[i] = Math.sqrt(s) ** d;
        first[i] = z[0];
        last[i] = z[d - 1];
      }
      const D = ksUniform(rad);
      expect(D, `radius KS ${D}`).toBeLessThan(ksCritical(n));
      // a uniform ball point: E z_i = 0, E z_i^2 = 1/(d+2), E z_i^4 = 3/((d+2)(d+4))
      const v2 = 1 / (d + 2);
      const v4 = 3 / ((d + 2) * (d + 4));
      for (const [name, c] of [['first', first], ['last', last]] as const) {
        expect(Math.abs(mean(c)) / Math.sqrt(v2 / n), `${name} coordinate mean`).toBeLessThan(Z2);
        const m2 = c.reduce((s, v) => s + v * v, 0) / n;
        expect(Math.abs(m2 - v2) / Math.sqrt((v4 - v2 * v2) / n), `${name} coordinate E z^2 = ${m2}, want ${v2}`).toBeLessThan(Z2);
      }
      // the unnormalised normals: their sum of squares is chi-square_d, and for whole pairs it is
      // exactly -2 ln(prod u) (the WebGPU streaming norm pass computes it that way, with frexp)
      const out = new Float64Array(d);
      const cdf = new Float64Array(n);
      let worst = 0;
      for (let i = 0; i < n; i++) {
        for (let j = 0; 2 * j < d; j++) lean.normalPair(11, d, i, j, out, 2 * j);
        let ss = 0;
        for (let k = 0; k < d; k++) ss += out[k] * out[k];
        cdf[i] = chi2Cdf(ss, d);
        let logs = 0;
        for (let j = 0; j < d >> 1; j++) logs += -2 * Math.log(unitOf(lean.words(11, d, i, j)[0]));
        const pairsOnly = d % 2 ? ss - out[d - 1] ** 2 : ss;
        worst = Math.max(worst, Math.abs(pairsOnly - logs) / Math.max(1, logs));
      }
      expect(ksUniform(cdf), 'chi-square_d KS').toBeLessThan(ksCritical(n));
      expect(worst, 'sum of squares of whole pairs vs -2 ln(prod u)').toBeLessThan(1e-6); // sin^2 + cos^2 = 1 to 4e-8
    });
  }
});

describe('every generator: the CPU hot loop (normals, radius) draws what normalPair and words draw', () => {
  for (const [name, gen] of Object.entries(generators)) {
    it(`${name}: normals() = the pairs of normalPair(), its sum of squares, radius() = u^(1/d) of slot 1023`, () => {
      for (const d of [1, 2, 3, 7, 32, 33, 100]) {
        const a = new Float64Array(d);
        const b = new Float64Array(d);
        for (const index of [0, 1, 999, 0xffffffff, 2 ** 32, 2 ** 32 + 77, 2 ** 40 + 3, 2 ** 53 - 1]) {
          const ss = gen.normals(a, 9, d, index);
          for (let j = 0; 2 * j < d; j++) gen.normalPair(9, d, index, j, b, 2 * j);
          for (let k = 0; k < d; k++) expect(Math.abs(a[k] - b[k]), `d=${d} index ${index} coordinate ${k}`).toBeLessThanOrEqual(1e-14 * Math.max(1, Math.abs(b[k])));
          const sum = b.reduce((s, v) => s + v * v, 0);
          expect(Math.abs(ss - sum), `d=${d} index ${index} sum of squares`).toBeLessThanOrEqual(1e-7 * sum); // lean: r^2 per whole pair
          const u = unitOf(gen.words(9, d, index, 1023)[0]);
          expect(gen.radius(9, d, index, d)).toBeCloseTo(u ** (1 / d), 14);
        }
      }
    });
  }
});

describe('lean vs reference: another stream, the same distribution', () => {
  it('the same key and counter give other words, other normals and other ball samples', () => {
    const a = new Float64Array(4);
    const b = new Float64Array(4);
    let sameWords = 0;
    let sameSamples = 0;
    for (let i = 0; i < 2000; i++) {
      const lw = Array.from(lean.words(5, 6, i, i % 7));
      const rw = Array.from(reference.words(5, 6, i, i % 7));
      if (lw[0] === rw[0] || lw[1] === rw[1]) sameWords++;
      l2.unit(a, 5, 6, i, lean);
      l2.unit(b, 5, 6, i, reference);
      if (a.every((v, k) => Math.abs(v - b[k]) < 1e-9)) sameSamples++;
    }
    expect(sameWords).toBeLessThanOrEqual(1); // 2000 * 2 * 2^-32 expected
    expect(sameSamples).toBe(0);
    // lean words are Threefry-2x32-13 at the counter layout (lo, hi * 1024 + slot)
    const w = new Uint32Array(2);
    threefry2x32r13(5, 6, 77, 3 * 1024 + 9, w);
    expect(Array.from(lean.words(5, 6, 3 * 2 ** 32 + 77, 9))).toEqual(Array.from(w));
  });

  it('two-sample KS (alpha = 1e-4): normals, the l2 ball radius and a coordinate (d = 3), the l1 ball and a Gaussian marginal', () => {
    const n = 100_000;
    const L = normalPairs(lean, 3, 4, n);
    const R = normalPairs(reference, 3, 4, n);
    expect(ks2(L.x, R.x)).toBeLessThan(ks2Critical(n, n));
    expect(ks2(L.y, R.y)).toBeLessThan(ks2Critical(n, n));
    const m = 20_000;
    for (const spec of ['l2', 'l1', 'linf'] as const) {
      const sl = prepareSampler(spec, 3, 'lean');
      const sr = prepareSampler(spec, 3, 'reference');
      const zl = new Float64Array(3);
      const zr = new Float64Array(3);
      const [nl, nr, cl, cr] = [new Float64Array(m), new Float64Array(m), new Float64Array(m), new Float64Array(m)];
      for (let i = 0; i < m; i++) {
        sl.plugin.unit(zl, 8, 9, i, sl.gen);
        sr.plugin.unit(zr, 8, 9, i, sr.gen);
        nl[i] = sl.plugin.norm(zl);
        nr[i] = sr.plugin.norm(zr);
        cl[i] = zl[2];
        cr[i] = zr[2];
      }
      expect(ks2(nl, nr), `${spec} norm`).toBeLessThan(ks2Critical(m, m));
      expect(ks2(cl, cr), `${spec} coordinate 2`).toBeLessThan(ks2Critical(m, m));
    }
  });
});

describe('lean generator: words on consecutive indices', () => {
  // slot 0 (both words: the first normal pair) and slot 1023 (word 0: the l2 radius) of indices 0..N-1
  const w0 = new Uint32Array(N);
  const w1 = new Uint32Array(N);
  const wr = new Uint32Array(N);
  const w1s = new Uint32Array(N); // slot 1, word 0: the next pair of the same sample
  for (let i = 0; i < N; i++) {
    const w = lean.words(0xdead, 0xbeef, i, 0);
    w0[i] = w[0];
    w1[i] = w[1];
    wr[i] = lean.words(0xdead, 0xbeef, i, 1023)[0];
    w1s[i] = lean.words(0xdead, 0xbeef, i, 1)[0];
  }
  // one check of 160 bit tests: each at |z| < 4.9 (two-sided 9.6e-7), 160 * 9.6e-7 = 1.5e-4 in all
  const ZB = 4.9;

  it('each of the 32 bit positions is 1 half of the time (3 words x 32 bits), and equals the next index\'s bit half of the time (2 x 32)', () => {
    const sd = Math.sqrt(N) / 2;
    for (const [name, w] of [['slot 0 word 0', w0], ['slot 0 word 1', w1], ['radius word', wr]] as const) {
      for (let b = 0; b < 32; b++) {
        let ones = 0;
        for (let i = 0; i < N; i++) ones += (w[i] >>> b) & 1;
        expect(Math.abs(ones - N / 2) / sd, `${name} bit ${b}: ${ones} of ${N}`).toBeLessThan(ZB);
      }
    }
    const sdPairs = Math.sqrt(N - 1) / 2;
    for (const [name, w] of [['slot 0 word 0', w0], ['slot 0 word 1', w1]] as const) {
      for (let b = 0; b < 32; b++) {
        let same = 0;
        for (let i = 0; i + 1 < N; i++) same += 1 - (((w[i] ^ w[i + 1]) >>> b) & 1);
        expect(Math.abs(same - (N - 1) / 2) / sdPairs, `${name} bit ${b} vs next index`).toBeLessThan(ZB);
      }
    }
  });

  it('adjacent indices, the two words of a counter and adjacent slots are uncorrelated; Hamming distance of neighbours is 32; top byte uniform', () => {
    const u = (w: Uint32Array) => Float64Array.from(w, unitOf);
    const [u0, u1, ur, u1s] = [u(w0), u(w1), u(wr), u(w1s)];
    // |rho| sqrt(n) < 3.89: alpha = 1e-4 each
    for (const [name, a, b] of [
      ['word 0, index i vs i+1', u0.subarray(0, N - 1), u0.subarray(1)],
      ['word 1, index i vs i+1', u1.subarray(0, N - 1), u1.subarray(1)],
      ['radius word, index i vs i+1', ur.subarray(0, N - 1), ur.subarray(1)],
      ['word 0 vs word 1', u0, u1],
      ['slot 0 vs slot 1', u0, u1s],
      ['slot 0 vs radius slot', u0, ur],
    ] as const) {
      const rho = corr(a, b);
      expect(Math.abs(rho) * Math.sqrt(a.length), `${name}: ${rho}`).toBeLessThan(Z2);
    }
    // Hamming distance between the 64 output bits of index i and i+1: Binomial(64, 1/2), mean 32, sd 4
    let h = 0;
    const pop = (v: number) => {
      v -= (v >>> 1) & 0x55555555;
      v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
      return (Math.imul((v + (v >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24) & 0xff;
    };
    for (let i = 0; i + 1 < N; i++) h += pop(w0[i] ^ w0[i + 1]) + pop(w1[i] ^ w1[i + 1]);
    const meanH = h / (N - 1);
    expect(Math.abs(meanH - 32) / (4 / Math.sqrt(N - 1)), `mean Hamming distance ${meanH}`).toBeLessThan(Z2);
    // the top byte of word 0 (the radius bits of a normal): 256 bins, df 255, alpha = 1e-4
    const bytes = new Float64Array(256);
    for (const v of w0) bytes[v >>> 24]++;
    expect(chi2(bytes, new Float64Array(256).fill(N / 256))).toBeLessThan(chi2Critical(255));
  });
});

// ---------- bad input ----------

// null means the default, as for ball and bounds (serve clients send null for unset fields)
const BAD: unknown[] = ['fast', 7, '', 'Reference', 'toString', '__proto__', {}, ['lean']];
const NAMES_CHOICES = /^generator: must be one of 'reference', 'lean', got /;

/** The promise of a call that may also throw synchronously. */
const attempt = (f: () => unknown) => (async () => f())();
async function expectGeneratorError(f: () => unknown, label: string) {
  const e = await attempt(f).then(
    () => null,
    (err: unknown) => err,
  );
  expect(e, label).toBeInstanceOf(BroxError);
  expect((e as BroxError).argument, label).toBe('generator');
  expect((e as BroxError).code, label).toBe('INVALID_ARGUMENT');
  expect((e as BroxError).message, label).toMatch(NAMES_CHOICES);
}

describe('generator option: bad input is a BroxError naming generator and the allowed values', () => {
  it('getGenerator: undefined is the reference; both names resolve; everything else is refused', async () => {
    expect(getGenerator(undefined)).toBe(reference);
    expect(getGenerator('reference')).toBe(reference);
    expect(getGenerator('lean')).toBe(lean);
    expect(Object.keys(generators)).toEqual(['reference', 'lean']);
    for (const g of BAD) await expectGeneratorError(() => getGenerator(g), `getGenerator(${String(g)})`);
    expect(() => getGenerator('fast')).toThrow("generator: must be one of 'reference', 'lean', got 'fast'");
    expect(() => getGenerator(7)).toThrow("generator: must be one of 'reference', 'lean', got number");
    expect(getGenerator(null)).toBe(reference);
    expect(() => getGenerator(['lean'])).toThrow("generator: must be one of 'reference', 'lean', got an array");
    expect(() => prepareSampler('l2', 2, 'fast')).toThrow(NAMES_CHOICES);
  });

  it('oracle.brox, topk and moments (CPU backend)', async () => {
    const cpu = createCpuOracle();
    try {
      for (const generator of BAD) {
        const o = { samples: 64, generator } as never;
        await expectGeneratorError(() => cpu.brox('sphere', [1, 1], 0.5, o), `brox ${String(generator)}`);
        await expectGeneratorError(() => cpu.topk('sphere', [1, 1], 0.5, { ...(o as object), k: 2 }), `topk ${String(generator)}`);
        await expectGeneratorError(() => cpu.moments('sphere', [1, 1], 0.5, { ...(o as object), temperature: 1 } as never), `moments ${String(generator)}`);
      }
      // the oracle still works, and the option is honoured: the lean winner is the lean sample of its index
      const r = await cpu.brox('sphere', [1, 1], 0.5, { samples: 500, seed: 3, generator: 'lean' });
      const spec = { objective: { name: 's', dim: 2, wgsl: '', js: () => 0 }, sampler: prepareSampler('l2', 2, 'lean'), bounds: null, seed: 3, call: 0, round: 0, center: [1, 1], t: 0.5, outer: [1, 1], tOuter: 0.5 };
      expect(r.x).toEqual(Array.from(pointOf(spec, r.index)!));
      const ref = pointOf({ ...spec, sampler: prepareSampler('l2', 2) }, r.index)!;
      expect(r.x).not.toEqual(Array.from(ref));
    } finally {
      cpu.destroy();
    }
  });

  it('bpm() and minimize()', async () => {
    const cpu = createCpuOracle();
    try {
      for (const generator of BAD) {
        await expectGeneratorError(() => bpm('sphere', [1, 1], { radius: 0.5, samples: 64, maxIter: 2, generator, oracle: cpu } as never), `bpm ${String(generator)}`);
        await expectGeneratorError(() => minimize('sphere', [1, 1], { samples: 64, maxIter: 2, generator, oracle: cpu } as never), `minimize ${String(generator)}`);
        await expectGeneratorError(() => minimize('sphere', [1, 1], { maxIter: 2, generator, backend: 'cpu' } as never), `minimize backend cpu ${String(generator)}`);
      }
      for (const method of ['cem', 'random']) {
        await expectGeneratorError(() => minimize('sphere', [1, 1], { method, maxIter: 2, generator: 'fast', oracle: cpu } as never), `minimize ${method}`);
      }
    } finally {
      cpu.destroy();
    }
  });

  const root = fileURLToPath(new URL('..', import.meta.url));
  const brox = (args: string[]) => spawnSync(process.execPath, ['bin/brox.js', ...args], { cwd: root, encoding: 'utf8', timeout: 120_000 });

  it('CLI: brox and run with --generator fast exit 2 naming generator; --generator lean is honoured (needs the build)', () => {
    expect(existsSync(`${root}/dist/cli.js`), 'dist/cli.js: run npm run build').toBe(true);
    for (const cmd of [
      ['brox', '--generator', 'fast', '--backend', 'cpu'],
      ['brox', '--generator', 'fast', '--backend', 'cpu', '--json', '--samples', '64'],
      ['run', '--generator', 'fast', '--backend', 'cpu', '--max-iter', '2'],
      ['brox', '--generator', '', '--backend', 'cpu'],
    ]) {
      const r = spawnSync(process.execPath, ['bin/brox.js', ...cmd], { cwd: root, encoding: 'utf8', timeout: 120_000 });
      expect(r.status, `${cmd.join(' ')}: ${r.stderr}`).toBe(2);
      expect(r.stderr, cmd.join(' ')).toMatch(/generator: must be one of 'reference', 'lean', got '(fast)?'/);
      // with --json the error is also one JSON object on stdout; without it stdout stays empty
      if (cmd.includes('--json')) expect(JSON.parse(r.stdout)).toEqual({ error: { code: 'INVALID_ARGUMENT', argument: 'generator', message: "generator: must be one of 'reference', 'lean', got 'fast'" } });
      else expect(r.stdout, cmd.join(' ')).toBe('');
    }
    const args = ['brox', '--objective', 'rastrigin', '--dim', '3', '--x', '1,2,3', '--radius', '1', '--samples', '3000', '--seed', '4', '--backend', 'cpu', '--json'];
    const l = brox([...args, '--generator', 'lean']);
    const rf = brox([...args, '--generator', 'reference']);
    const df = brox(args);
    for (const r of [l, rf, df]) expect(r.status, r.stderr).toBe(0);
    const [jl, jr, jd] = [l, rf, df].map((r) => JSON.parse(r.stdout));
    expect(jd).toMatchObject({ index: jr.index, fun: jr.fun }); // the default is the reference
    expect(jl.x).not.toEqual(jr.x);
    const spec = { objective: { name: 's', dim: 3, wgsl: '', js: () => 0 }, sampler: prepareSampler('l2', 3, 'lean'), bounds: null, seed: 4, call: 0, round: 0, center: [1, 2, 3], t: 1, outer: [1, 2, 3], tOuter: 1 };
    const want = Array.from(pointOf(spec, jl.index)!);
    jl.x.forEach((v: number, k: number) => expect(v).toBeCloseTo(want[k], 12));
  });

  it('serve: brox, bpm and minimize requests with generator "fast" get an INVALID_ARGUMENT answer naming generator; serve keeps answering', async () => {
    const cpu = createCpuOracle();
    const chunks: string[] = [];
    const output = new Writable({ write: (c, _e, cb) => (chunks.push(String(c)), cb()) });
    const lines = [
      { id: 1, method: 'brox', params: { objective: 'sphere', x: [1, 1], t: 1, samples: 64, generator: 'fast' } },
      { id: 2, method: 'bpm', params: { objective: 'sphere', x0: [1, 1], radius: 0.5, samples: 64, maxIter: 2, generator: 'fast' } },
      { id: 3, method: 'minimize', params: { objective: 'sphere', x0: [1, 1], samples: 64, maxIter: 2, generator: 7 } },
      { id: 4, method: 'brox', params: { objective: 'sphere', x: [1, 1], t: 1, samples: 64, generator: {} } },
      { id: 5, method: 'info' },
      { id: 6, method: 'brox', params: { objective: 'sphere', x: [1, 1], t: 1, samples: 500, seed: 3, generator: 'lean' } },
      { id: 7, method: 'bpm', params: { objective: 'sphere', x0: [1, 1], radius: 0.5, samples: 64, maxIter: 2, generator: 'lean' } },
      { id: 8, method: 'minimize', params: { objective: 'sphere', x0: [1, 1], samples: 64, maxIter: 2, generator: 'lean' } },
    ];
    try {
      await serveStdio({ oracle: cpu, allowCode: false, limits: {} }, Readable.from(lines.map((l) => JSON.stringify(l) + '\n')), output);
      const res = chunks.join('').split('\n').filter(Boolean).map((l) => JSON.parse(l));
      expect(res.map((r) => r.id)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
      for (const r of res.slice(0, 4)) {
        expect(r.error, JSON.stringify(r)).toMatchObject({ code: 'INVALID_ARGUMENT', argument: 'generator' });
        expect(r.error.message).toMatch(NAMES_CHOICES);
      }
      for (const r of res.slice(4)) expect(r.result, JSON.stringify(r)).toBeTruthy();
      const direct = await cpu.brox('sphere', [1, 1], 1, { samples: 500, seed: 3, generator: 'lean' });
      expect(res[5].result).toMatchObject({ index: direct.index, fun: direct.fun });
    } finally {
      cpu.destroy();
    }
  });
});

// ---------- CPU = WebGPU with the lean generator ----------

describe('lean generator: BPM ends at the same point on CPU and WebGPU (step by step and resident)', () => {
  const gpu = useGpuDevice();
  it('ackley d=3 and levy d=40 (the streaming kernel): same path of winner indices, same end point', async () => {
    const webgpu: Oracle = await createOracle({ backend: 'webgpu', device: gpu().device });
    const cpu = createCpuOracle();
    try {
      for (const [name, x0, samples] of [
        ['ackley', [3.3, -2.2, 1.1], 4096],
        ['levy', Array.from({ length: 40 }, (_, i) => 2 + Math.sin(i)), 1024],
      ] as const) {
        const opts = { radius: 1, samples, seed: 11, maxIter: 8, ftol: 0, generator: 'lean' as const };
        const a = await bpm(name, x0, { ...opts, oracle: cpu });
        const b = await bpm(name, x0, { ...opts, oracle: webgpu, resident: false });
        const c = await bpm(name, x0, { ...opts, oracle: webgpu, batch: 4 });
        const ref = await bpm(name, x0, { ...opts, generator: 'reference', oracle: cpu });
        expect(a.history.map((h) => h.index), `${name}: lean and reference paths`).not.toEqual(ref.history.map((h) => h.index));
        expect(a.nit).toBeGreaterThan(2);
        for (const r of [b, c]) {
          expect([r.nit, r.status], name).toEqual([a.nit, a.status]);
          expect(r.history.map((h) => h.index), name).toEqual(a.history.map((h) => h.index));
          a.history.forEach((h, i) => h.x.forEach((v, k) => expect(Math.abs(r.history[i].x[k] - v)).toBeLessThan(1e-5)));
          r.x.forEach((v, k) => expect(Math.abs(v - a.x[k])).toBeLessThan(1e-5));
          expect(Math.abs(r.fun - a.fun)).toBeLessThanOrEqual(1e-5 * Math.max(1, Math.abs(a.fun)));
        }
      }
    } finally {
      webgpu.destroy();
      cpu.destroy();
    }
  });
});
