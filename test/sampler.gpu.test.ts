import { describe, expect, it } from 'vitest';
import trigWgsl from '../shaders/math/trig.wgsl?raw';
import rngWgsl from '../shaders/rng/threefry.wgsl?raw';
import normalWgsl from '../shaders/rng/normal.wgsl?raw';
import l2Wgsl from '../shaders/samplers/l2.wgsl?raw';
import { splitIndex } from '../src/rng/counter';
import { l2Offset, runWordsKernel, useGpuDevice } from './helpers';

const kernel = (d: number) => `const DIM: u32 = ${d}u;
${trigWgsl}
${rngWgsl}
${normalWgsl}
${l2Wgsl}
// input rows: seed, call, lo, hi; output: DIM f32 offsets (t = 1)
@group(0) @binding(0) var<storage, read> inp: array<vec4<u32>>;
@group(0) @binding(1) var<storage, read_write> outp: array<f32>;
@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
  if (gid.x >= arrayLength(&inp)) { return; }
  let r = inp[gid.x];
  var y: array<f32, DIM>;
  brox_sampler_unit(r.xy, r.z, r.w, &y);
  for (var k = 0u; k < DIM; k++) { outp[gid.x * DIM + k] = y[k]; }
}`;

describe('l2 ball sampler: WGSL twin draws the same points as TypeScript', () => {
  const gpu = useGpuDevice();
  for (const d of [1, 2, 7, 32, 100]) {
    it(`d=${d}`, async () => {
      const indices = [0, 1, 2, 1000, 0xffffffff, 2 ** 32, 2 ** 32 + 77, 2 ** 40 + 3, 2 ** 53 - 1];
      for (let i = 0; indices.length < 64; i++) indices.push(i * 7919 + 11);
      const rows = indices.map((ix) => [3, 17, ...splitIndex(ix)]);
      const out = await runWordsKernel(gpu().device, kernel(d), new Uint32Array(rows.flat()), indices.length * d, 1);
      const f = new Float32Array(out.buffer);
      const y = new Float64Array(d);
      for (let r = 0; r < indices.length; r++) {
        l2Offset(y, 1, 3, 17, indices[r]);
        for (let k = 0; k < d; k++) {
          // Same random words, so only float32 error remains; a different sample would be off by O(1).
          expect(Math.abs(f[r * d + k] - y[k]), `index ${indices[r]} coordinate ${k}`).toBeLessThan(2e-5);
        }
      }
    });
  }
});
