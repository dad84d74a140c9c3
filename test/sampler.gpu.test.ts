import { describe, expect, it } from 'vitest';
import trigWgsl from '../shaders/math/trig.wgsl?raw';
import rngWgsl from '../shaders/rng/threefry.wgsl?raw';
import referenceWgsl from '../shaders/rng/reference.wgsl?raw';
import leanWgsl from '../shaders/rng/lean.wgsl?raw';
import { generators, getGenerator } from '../src/rng/generator';
import { l2 } from '../src/samplers/l2';
import l2Wgsl from '../shaders/samplers/l2.wgsl?raw';
import { splitIndex } from '../src/rng/counter';
import { runWordsKernel, useGpuDevice } from './helpers';

const GEN_WGSL: Record<string, string> = { reference: referenceWgsl, lean: leanWgsl };
// streaming: the form large-d kernels use (scale pass, then pairs drawn again)
const kernel = (d: number, gen: string, streaming: boolean) => `const DIM: u32 = ${d}u;
${trigWgsl}
${rngWgsl}
${GEN_WGSL[gen]}
${l2Wgsl}
// input rows: seed, call, lo, hi; output: DIM f32 offsets (t = 1)
@group(0) @binding(0) var<storage, read> inp: array<vec4<u32>>;
@group(0) @binding(1) var<storage, read_write> outp: array<f32>;
@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
  if (gid.x >= arrayLength(&inp)) { return; }
  let r = inp[gid.x];
  var y: array<f32, DIM>;
  if (${streaming}) {
    let s = brox_sampler_scale(r.xy, r.z, r.w);
    for (var j = 0u; 2u * j < DIM; j++) {
      let p = brox_sampler_pair(r.xy, r.z, r.w, j) * s;
      y[2u * j] = p.x;
      if (2u * j + 1u < DIM) { y[2u * j + 1u] = p.y; }
    }
  } else {
    brox_sampler_unit(r.xy, r.z, r.w, &y);
  }
  for (var k = 0u; k < DIM; k++) { outp[gid.x * DIM + k] = y[k]; }
}`;

describe('l2 ball sampler: WGSL twin draws the same points as TypeScript, on every generator', () => {
  const gpu = useGpuDevice();
  for (const gen of Object.keys(generators))
  for (const streaming of [false, true])
  for (const d of [1, 2, 7, 32, 100]) {
    it(`${gen}, ${streaming ? 'streaming' : 'whole-sample'} form, d=${d}`, async () => {
      const indices = [0, 1, 2, 1000, 0xffffffff, 2 ** 32, 2 ** 32 + 77, 2 ** 40 + 3, 2 ** 53 - 1];
      for (let i = 0; indices.length < 64; i++) indices.push(i * 7919 + 11);
      const rows = indices.map((ix) => [3, 17, ...splitIndex(ix)]);
      const out = await runWordsKernel(gpu().device, kernel(d, gen, streaming), new Uint32Array(rows.flat()), indices.length * d, 1);
      const f = new Float32Array(out.buffer);
      const y = new Float64Array(d);
      for (let r = 0; r < indices.length; r++) {
        l2.unit(y, 3, 17, indices[r], getGenerator(gen));
        for (let k = 0; k < d; k++) {
          // Same random words, so only float32 error remains; a different sample would be off by O(1).
          expect(Math.abs(f[r * d + k] - y[k]), `index ${indices[r]} coordinate ${k}`).toBeLessThan(2e-5);
        }
      }
    });
  }
});
