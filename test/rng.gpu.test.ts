import { describe, expect, it } from 'vitest';
import rngWgsl from '../shaders/rng/threefry.wgsl?raw';
import leanWgsl from '../shaders/rng/lean.wgsl?raw';
import { leanSinCos } from '../src/rng/lean';
import { threefry2x32, threefry2x32r13, toUnit } from '../src/rng/threefry';
import { mulberry32, runWordsKernel, useGpuDevice } from './helpers';

// Each row: key0, key1, ctr0, ctr1 -> two words and the two unit floats (as f32 bits).
const KERNEL = `${rngWgsl}
@group(0) @binding(0) var<storage, read> inp: array<vec4<u32>>;
@group(0) @binding(1) var<storage, read_write> outp: array<vec4<u32>>;
@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
  if (gid.x >= arrayLength(&inp)) { return; }
  let r = inp[gid.x];
  let w = brox_threefry2x32(r.xy, r.zw);
  outp[gid.x] = vec4<u32>(w, bitcast<u32>(brox_to_unit(w.x)), bitcast<u32>(brox_to_unit(w.y)));
}`;

describe('threefry2x32: TypeScript and WGSL are bit-identical', () => {
  const gpu = useGpuDevice();

  it('on a fixed table of keys and counters (edge words, high index words, random words)', async () => {
    const rows: number[][] = [
      [0, 0, 0, 0],
      [0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff],
      [0x13198a2e, 0x03707344, 0x243f6a88, 0x85a308d3],
      [1, 0, 0xffffffff, 0], // last index below 2^32
      [1, 0, 0, 1 * 1024 + 5], // index 2^32, slot 5
      [7, 3, 123456, 0x3fffff * 1024 + 1023], // largest index high word, radius slot
    ];
    const rnd = mulberry32(42);
    while (rows.length < 256) rows.push([0, 0, 0, 0].map(() => Math.floor(rnd() * 2 ** 32)));
    const input = new Uint32Array(rows.flat());
    const out = await runWordsKernel(gpu().device, KERNEL, input, rows.length * 4, Math.ceil(rows.length / 64));
    const w = new Uint32Array(2);
    const f = new Float32Array(1);
    const bits = new Uint32Array(f.buffer);
    for (let i = 0; i < rows.length; i++) {
      const [k0, k1, c0, c1] = rows[i];
      threefry2x32(k0, k1, c0, c1, w);
      expect([out[4 * i], out[4 * i + 1]], `row ${i}`).toEqual([w[0], w[1]]);
      f[0] = toUnit(w[0]);
      expect(out[4 * i + 2], `unit float of row ${i}`).toBe(bits[0]);
      f[0] = toUnit(w[1]);
      expect(out[4 * i + 3]).toBe(bits[0]);
    }
  });

  it('13 rounds (the lean generator): the same words on the same table', async () => {
    const kernel13 = `${rngWgsl}\n${leanWgsl}\n@group(0) @binding(0) var<storage, read> inp: array<vec4<u32>>;
@group(0) @binding(1) var<storage, read_write> outp: array<vec4<u32>>;
@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
  if (gid.x >= arrayLength(&inp)) { return; }
  let r = inp[gid.x];
  let w = brox_threefry2x32_13(r.xy, r.zw);
  let sc = brox_lean_sincos(r.x);
  outp[gid.x] = vec4<u32>(w, bitcast<u32>(sc.x), bitcast<u32>(sc.y));
}`.replace(/DIM/g, '2u'); // lean.wgsl's norm pass names DIM; unused here
    const rows: number[][] = [[0, 0, 0, 0], [0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff], [0x13198a2e, 0x03707344, 0x243f6a88, 0x85a308d3]];
    // every quarter turn, both ends of the in-quarter angle, then random words
    for (const q of [0, 1, 2, 3]) for (const f of [0, 0x7fffff, 0x400000]) rows.push([((q << 30) | (f << 7)) >>> 0, 5, 6, 7]);
    const rnd = mulberry32(7);
    while (rows.length < 256) rows.push([0, 0, 0, 0].map(() => Math.floor(rnd() * 2 ** 32)));
    const out = await runWordsKernel(gpu().device, kernel13, new Uint32Array(rows.flat()), rows.length * 4, Math.ceil(rows.length / 64));
    const w = new Uint32Array(2);
    const f = new Float32Array(out.buffer);
    const sc = { s: 0, c: 0 };
    for (let i = 0; i < rows.length; i++) {
      const [k0, k1, c0, c1] = rows[i];
      threefry2x32r13(k0, k1, c0, c1, w);
      expect([out[4 * i], out[4 * i + 1]], `row ${i}`).toEqual([w[0], w[1]]);
      leanSinCos(k0, sc);
      // the same polynomial in float32 and float64: only rounding differs
      expect(Math.abs(f[4 * i + 2] - sc.s), `sin of row ${i}`).toBeLessThan(3e-7);
      expect(Math.abs(f[4 * i + 3] - sc.c), `cos of row ${i}`).toBeLessThan(3e-7);
      expect(Math.abs(sc.s * sc.s + sc.c * sc.c - 1)).toBeLessThan(1e-7);
    }
  });
});
