import { reference } from '../src/rng/reference';
import { existsSync } from 'node:fs';
import { afterAll, beforeAll } from 'vitest';
import { acquireGpu, type GpuHandle } from '../src/gpu/acquire';
import { summarizeAdapter, type AdapterSummary } from '../src/gpu/adapter';
import { wantedFeatures } from '../src/oracle/create';
import { l2 } from '../src/samplers/l2';
import { pointOf } from '../src/samplers/point';
import { prepareSampler } from '../src/samplers/spec';

export interface TestGpu {
  device: GPUDevice;
  adapter: AdapterSummary;
  /** Dawn's GPU object (another adapter or device with other features). */
  gpu: GPU;
}

/**
 * A real WebGPU device from Dawn (SwiftShader in CI). Never skipped: with no adapter the tests
 * fail, because a kernel test that does not run proves nothing.
 */
export function useGpuDevice(): () => TestGpu {
  let handle: GpuHandle | null = null;
  let gpu: TestGpu | null = null;
  beforeAll(async () => {
    const icd = process.env.VK_ICD_FILENAMES ?? '';
    if (!existsSync(icd)) {
      throw new Error(`VK_ICD_FILENAMES=${icd} does not exist: install Debian's chromium and libvulkan1 (bash .ci/run does)`);
    }
    const got = await acquireGpu();
    if (!got.handle) throw new Error(got.why);
    handle = got.handle;
    const adapter = await handle.gpu.requestAdapter();
    if (!adapter) throw new Error('no WebGPU adapter (SwiftShader expected)');
    const device = await adapter.requestDevice({ requiredFeatures: wantedFeatures(adapter) });
    gpu = { device, adapter: summarizeAdapter(adapter.info), gpu: handle.gpu };
  });
  afterAll(() => {
    gpu?.device.destroy();
    handle?.release();
  });
  return () => {
    if (!gpu) throw new Error('GPU device not created');
    return gpu;
  };
}

/** Runs a one-off compute kernel over u32 input words and reads back `outWords` u32 words. */
export async function runWordsKernel(device: GPUDevice, code: string, input: Uint32Array<ArrayBuffer>, outWords: number, workgroups: number): Promise<Uint32Array> {
  device.pushErrorScope('validation');
  const module = device.createShaderModule({ code, label: 'test.kernel' });
  const info = await module.getCompilationInfo();
  const errs = info.messages.filter((m) => m.type === 'error');
  if (errs.length) throw new Error(errs.map((m) => `${m.lineNum}:${m.linePos} ${m.message}`).join('\n'));
  const pipeline = device.createComputePipeline({ layout: 'auto', compute: { module, entryPoint: 'main' } });
  const inBuf = device.createBuffer({ size: Math.max(16, input.byteLength), usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST });
  const outBuf = device.createBuffer({ size: outWords * 4, usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC });
  const readBuf = device.createBuffer({ size: outWords * 4, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
  device.queue.writeBuffer(inBuf, 0, input);
  const bg = device.createBindGroup({
    layout: pipeline.getBindGroupLayout(0),
    entries: [
      { binding: 0, resource: { buffer: inBuf } },
      { binding: 1, resource: { buffer: outBuf } },
    ],
  });
  const enc = device.createCommandEncoder();
  const pass = enc.beginComputePass();
  pass.setPipeline(pipeline);
  pass.setBindGroup(0, bg);
  pass.dispatchWorkgroups(workgroups);
  pass.end();
  enc.copyBufferToBuffer(outBuf, 0, readBuf, 0, outWords * 4);
  device.queue.submit([enc.finish()]);
  await readBuf.mapAsync(GPUMapMode.READ);
  const out = new Uint32Array(readBuf.getMappedRange().slice(0));
  readBuf.unmap();
  const err = await device.popErrorScope();
  for (const b of [inBuf, outBuf, readBuf]) b.destroy();
  if (err) throw new Error(err.message);
  return out;
}

/** Deterministic pseudo-random numbers for test inputs (not the RNG under test). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Sample `index` of an l2-ball call (seed, call) around x with radius t, as the oracle draws it. */
export function l2Point(x: ArrayLike<number>, t: number, seed: number, call: number, index: number): Float64Array {
  const spec = { objective: { name: 'test', dim: x.length, wgsl: '', js: () => 0 }, sampler: prepareSampler('l2', x.length), bounds: null, seed, call, round: 0, center: x, t, outer: x, tOuter: t };
  return pointOf(spec, index)!;
}

/** The unit l2 offset of sample `index` scaled by t (the old l2Ball.offset). */
export function l2Offset(out: Float64Array, t: number, seed: number, call: number, index: number): void {
  l2.unit(out, seed, call, index, reference);
  for (let i = 0; i < out.length; i++) out[i] *= t;
}
