import naiveWgsl from './naive.wgsl?raw';
import trigWgsl from '../../shaders/math/trig.wgsl?raw';
import rngWgsl from '../../shaders/rng/threefry.wgsl?raw';
import bestWgsl from '../../shaders/engine/best.wgsl?raw';
import normalWgsl from '../../shaders/rng/reference.wgsl?raw'; // the plain kernel draws with the reference generator
import l2Wgsl from '../../shaders/samplers/l2.wgsl?raw';

export interface NaiveKernel {
  /** Min of rastrigin over `samples` ball samples (call 0): the value only, as f32. */
  run(center: number[], t: number, seed: number, samples: number): Promise<{ value: number; ms: number }>;
  destroy(): void;
}

/** The plain reference kernel of naive.wgsl, for rastrigin in dimension d. */
export async function createNaiveKernel(device: GPUDevice, d: number): Promise<NaiveKernel> {
  const code = [`const DIM: u32 = ${d}u;`, trigWgsl, rngWgsl, normalWgsl, bestWgsl, l2Wgsl, naiveWgsl].join('\n');
  const module = device.createShaderModule({ code, label: 'naive' });
  const pipeline = await device.createComputePipelineAsync({ layout: 'auto', compute: { module, entryPoint: 'main' } });
  const params = device.createBuffer({ size: 16, usage: GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST });
  const center = device.createBuffer({ size: d * 4, usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST });
  const best = device.createBuffer({ size: 4, usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST | GPUBufferUsage.COPY_SRC });
  const read = device.createBuffer({ size: 4, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
  const group = device.createBindGroup({
    layout: pipeline.getBindGroupLayout(0),
    entries: [
      { binding: 20, resource: { buffer: params } },
      { binding: 21, resource: { buffer: center } },
      { binding: 22, resource: { buffer: best } },
    ],
  });
  const maxX = device.limits.maxComputeWorkgroupsPerDimension;
  return {
    async run(c, t, seed, samples) {
      const t0 = performance.now();
      const groups = Math.ceil(samples / 64);
      const gx = Math.min(groups, maxX);
      const gy = Math.ceil(groups / gx);
      const p = new ArrayBuffer(16);
      new Uint32Array(p).set([seed, samples, 0, gx * 64]);
      new Float32Array(p)[2] = t;
      device.queue.writeBuffer(params, 0, p);
      device.queue.writeBuffer(center, 0, new Float32Array(c));
      device.queue.writeBuffer(best, 0, new Uint32Array([0xffffffff]));
      const enc = device.createCommandEncoder();
      const pass = enc.beginComputePass();
      pass.setPipeline(pipeline);
      pass.setBindGroup(0, group);
      pass.dispatchWorkgroups(gx, gy);
      pass.end();
      enc.copyBufferToBuffer(best, 0, read, 0, 4);
      device.queue.submit([enc.finish()]);
      await read.mapAsync(GPUMapMode.READ);
      const key = new Uint32Array(read.getMappedRange().slice(0))[0];
      read.unmap();
      // invert the order key (best.wgsl): positive values had the sign bit set
      const bits = key & 0x80000000 ? key & 0x7fffffff : ~key >>> 0;
      const value = new Float32Array(new Uint32Array([bits]).buffer)[0];
      return { value, ms: performance.now() - t0 };
    },
    destroy() {
      for (const b of [params, center, best, read]) b.destroy();
    },
  };
}
