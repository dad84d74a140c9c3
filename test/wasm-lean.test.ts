import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { lean } from '../src/rng/lean';
import { unitOf } from '../src/rng/words';
import { LEAN_NORMALS_WASM } from '../src/wasm/lean-normals.wasm';
import { leanNormalsBlock, leanNormalsView, wasmLn, wasmSimdAvailable, wasmSimdReady } from '../src/wasm/lean-normals';

// The WebAssembly SIMD kernel against its reference, the TypeScript twin lean.normals: the same
// samples (every normal and sum of squares within 1e-13 relative; only the log differs, by about
// an ulp) and so the same winners.

const KEYS: Array<[number, number]> = [
  [0, 0],
  [0x243f6a88, 0x85a308d3],
  [0xffffffff, 0x12345678],
  [0x9e3779b9, 0x7f4a7c15],
];
const RANGES: Array<[number, number]> = [
  [0, 97],
  [5, 1],
  [123_456_789, 64],
  [2 ** 32 - 5, 11], // crosses the counter's high word
  [2 ** 32 + 7, 9],
  [3 * 2 ** 40 + 12_345, 13],
  [2 ** 53 - 6, 6],
];
const DIMS = [1, 2, 3, 7, 10, 33, 100];

function relDiff(a: number, b: number): number {
  return a === b ? 0 : Math.abs(a - b) / Math.max(Math.abs(a), Math.abs(b), 1e-300);
}

describe.skipIf(!wasmSimdAvailable())('lean normals in WebAssembly SIMD', () => {
  it('gives the twin\'s normals and sums of squares (1e-13 relative)', () => {
    let maxNormal = 0;
    let maxSs = 0;
    let cells = 0;
    let exact = 0;
    for (const d of DIMS) {
      const ref = new Float64Array(d);
      for (const [k0, k1] of KEYS) {
        for (const [index0, count] of RANGES) {
          const out = new Float64Array(count * d).fill(NaN);
          const ss = new Float64Array(count).fill(NaN);
          leanNormalsBlock(k0, k1, index0, count, d, out, ss);
          const winners: number[] = [];
          const refWinners: number[] = [];
          for (let s = 0; s < count; s++) {
            const refSs = lean.normals(ref, k0, k1, index0 + s);
            for (let i = 0; i < d; i++) {
              const e = relDiff(out[s * d + i], ref[i]);
              if (!(e <= 1e-13)) throw new Error(`d=${d} key=${k0},${k1} index=${index0 + s} i=${i}: ${out[s * d + i]} vs ${ref[i]}`);
              maxNormal = Math.max(maxNormal, e);
              cells++;
              if (e === 0) exact++;
            }
            const e = relDiff(ss[s], refSs);
            if (!(e <= 1e-13)) throw new Error(`d=${d} index=${index0 + s} ss: ${ss[s]} vs ${refSs}`);
            maxSs = Math.max(maxSs, e);
            winners.push(ss[s]);
            refWinners.push(refSs);
          }
          // the same winners: the order of the samples by sum of squares
          const order = (v: number[]) => v.map((x, i) => [x, i]).sort((a, b) => a[0] - b[0]).map((p) => p[1]);
          expect(order(winners)).toEqual(order(refWinners));
        }
      }
    }
    console.log(`wasm lean normals: ${cells} normals, ${exact} bit-identical; max relative difference ${maxNormal.toExponential(2)} (normals), ${maxSs.toExponential(2)} (ss)`);
    expect(maxNormal).toBeLessThan(1e-13);
  });

  it('gives the radius uniform u = unitOf(lean.words(k0, k1, index, 1023)[0]) exactly', () => {
    let cells = 0;
    for (const d of DIMS) {
      for (const [k0, k1] of KEYS) {
        for (const [index0, count] of [...RANGES, [2 ** 32 - 3, 1], [2 ** 32 - 2, 4], [2 ** 32 - 1, 2], [2 ** 33 - 4, 9]] as Array<[number, number]>) {
          const out = new Float64Array(count * d);
          const ss = new Float64Array(count);
          const u = new Float64Array(count + 1).fill(NaN);
          leanNormalsBlock(k0, k1, index0, count, d, out, ss, u);
          const v = leanNormalsView(k0, k1, index0, count, d);
          expect(v.u!.length).toBe(count);
          expect(Number.isNaN(u[count])).toBe(true); // nothing past count in the caller's array
          for (let s = 0; s < count; s++) {
            const want = unitOf(lean.words(k0, k1, index0 + s, 1023)[0]);
            if (u[s] !== want || v.u![s] !== want) throw new Error(`d=${d} key=${k0},${k1} index=${index0 + s}: u ${u[s]} / view ${v.u![s]} vs ${want}`);
            cells++;
          }
        }
      }
    }
    expect(cells).toBeGreaterThan(0);
  });

  it('gives the same normals with and without u', () => {
    for (const d of [1, 3, 64]) {
      const count = 301;
      const index0 = 2 ** 32 - 150;
      const out0 = new Float64Array(count * d);
      const ss0 = new Float64Array(count);
      leanNormalsBlock(11, 12, index0, count, d, out0, ss0);
      const out1 = new Float64Array(count * d);
      const ss1 = new Float64Array(count);
      leanNormalsBlock(11, 12, index0, count, d, out1, ss1, new Float64Array(count));
      expect(Array.from(out1)).toEqual(Array.from(out0));
      expect(Array.from(ss1)).toEqual(Array.from(ss0));
    }
  });

  it('splits blocks larger than a chunk and leaves nothing unwritten', () => {
    for (const d of [1, 3, 100]) {
      const count = Math.ceil((3 * 2 ** 17) / d) + 5;
      const out = new Float64Array(count * d).fill(NaN);
      const ss = new Float64Array(count).fill(NaN);
      const u = new Float64Array(count).fill(NaN);
      leanNormalsBlock(7, 9, 2 ** 32 - 1000, count, d, out, ss, u);
      expect(out.every(Number.isFinite)).toBe(true);
      expect(ss.every(Number.isFinite)).toBe(true);
      expect(u.every(Number.isFinite)).toBe(true);
      const ref = new Float64Array(d);
      for (const s of [0, 999, 1000, 1001, count >> 1, count - 1]) {
        expect(u[s]).toBe(unitOf(lean.words(7, 9, 2 ** 32 - 1000 + s, 1023)[0]));
        const refSs = lean.normals(ref, 7, 9, 2 ** 32 - 1000 + s);
        expect(relDiff(ss[s], refSs)).toBeLessThan(1e-13);
        for (let i = 0; i < d; i++) expect(relDiff(out[s * d + i], ref[i])).toBeLessThan(1e-13);
      }
    }
  });

  it('gives the same numbers as views of its memory (leanNormalsView)', () => {
    for (const d of [1, 2, 7, 64]) {
      const count = 777;
      const index0 = 2 ** 32 - 300; // two pieces
      const out = new Float64Array(count * d);
      const ss = new Float64Array(count);
      const u = new Float64Array(count);
      leanNormalsBlock(3, 4, index0, count, d, out, ss, u);
      const v = leanNormalsView(3, 4, index0, count, d);
      expect(v.z.length).toBe(count * d);
      expect(v.ss.length).toBe(count);
      expect(v.u!.length).toBe(count);
      expect(Array.from(v.z)).toEqual(Array.from(out));
      expect(Array.from(v.ss)).toEqual(Array.from(ss));
      expect(Array.from(v.u!)).toEqual(Array.from(u));
    }
  });

  it('has a natural log within an ulp of Math.log', () => {
    const xs: number[] = [2 ** -24, 1 - 2 ** -24, 1 - 2 ** -53, 1, 0.5, Math.SQRT1_2, Math.SQRT2, 2, 1e-300, 1e300, Number.MIN_VALUE * 2 ** 52, Number.MAX_VALUE];
    // next doubles either side of sqrt(1/2) (the reduction's split)
    const bits = new Float64Array([Math.SQRT1_2]);
    const u64 = new BigUint64Array(bits.buffer);
    for (const delta of [-2n, -1n, 1n, 2n]) {
      const b = new BigUint64Array([u64[0] + delta]);
      xs.push(new Float64Array(b.buffer)[0]);
    }
    for (let m = 0; m < 2 ** 23; m += 4099) xs.push(m * 2 ** -23 + 2 ** -24); // the generator's u
    let seed = 12345;
    for (let i = 0; i < 20_000; i++) {
      seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
      xs.push((seed + 0.5) / 2 ** 32);
      xs.push(Math.exp((seed / 2 ** 32 - 0.5) * 1400)); // across the exponent range
    }
    const got = wasmLn(new Float64Array(xs));
    let maxUlp = 0;
    for (let i = 0; i < xs.length; i++) {
      const want = Math.log(xs[i]);
      const ulp = want === 0 ? Number.MIN_VALUE : 2 ** (Math.floor(Math.log2(Math.abs(want))) - 52);
      const e = Math.abs(got[i] - want) / ulp;
      if (!(e <= 1)) throw new Error(`ln(${xs[i]}) = ${got[i]}, Math.log ${want}`);
      maxUlp = Math.max(maxUlp, e);
    }
    expect(got[3]).toBe(0);
    console.log(`wasm ln: ${xs.length} inputs, max ${maxUlp} ulp from Math.log`);
  });
});

describe('lean normals wasm build', () => {
  it('is available in Node 20 (SIMD), synchronously and asynchronously', async () => {
    expect(wasmSimdAvailable()).toBe(true);
    expect(await wasmSimdReady()).toBe(true);
  });

  it('stays under 4 KiB (what some browsers compile synchronously on a main thread)', () => {
    expect(atob(LEAN_NORMALS_WASM).length).toBeLessThanOrEqual(4096);
  });

  it('commits the bytes of src/wasm/lean-normals.wat (node scripts/build-wasm.mjs)', () => {
    const out = execFileSync(process.execPath, [fileURLToPath(new URL('../scripts/build-wasm.mjs', import.meta.url)), '--check'], { encoding: 'utf8' });
    expect(out).toContain('is fresh');
  });
});
