import { BroxError } from '../errors.js';
import type { AdapterSummary } from '../gpu/adapter.js';
import type { Objective } from '../objectives/types.js';
import type { PreparedSampler } from '../samplers/spec.js';
import { compileModule, createPipeline } from './compile.js';
import { composeModule, type KernelRecipe } from './compose.js';
import { GpuTimer } from './timer.js';

/** Samples per dispatch: keeps the kernel's u32 loop counter far from wrapping. */
export const CHUNK = 2 ** 30;
/** Dispatches per submission; calls larger than DISPATCHES * CHUNK take several submissions. */
export const DISPATCHES = 16;
/** Upper bound on workgroups per dispatch (also capped by maxComputeWorkgroupsPerDimension). */
export const MAX_WORKGROUPS = 4096;
/** One uniform slice per dispatch (minUniformBufferOffsetAlignment upper bound). */
export const PARAM_STRIDE = 256;

export interface KernelTuning {
  /** Workgroup size (WGSL override). */
  wg: number;
  /** Samples each thread handles before the grid gets more workgroups. */
  samplesPerThread: number;
  /**
   * From this dimension on, objectives in streaming form use the kernel that regenerates the
   * sample per coordinate instead of holding it in a private array (which spills at large d).
   */
  streamingMinDim: number;
}
export const DEFAULT_TUNING: KernelTuning = { wg: 64, samplesPerThread: 8, streamingMinDim: 32 };

export interface EngineInit {
  device: GPUDevice;
  /** The engine destroys a device it owns; a borrowed one is never destroyed. */
  ownsDevice: boolean;
  adapterInfo: AdapterSummary | null;
  release?: () => void;
  tuning?: Partial<KernelTuning>;
  /** Use subgroupMin reductions when the device has 'subgroups' (default true). */
  subgroups?: boolean;
  /** Internal: smaller chunks let tests exercise multi-dispatch and multi-submission calls cheaply. */
  chunking?: { chunk?: number; dispatches?: number };
}

interface ModuleEntry {
  module: Promise<GPUShaderModule>;
  names: Map<string, number>;
  pipelines: Map<string, Promise<GPUComputePipeline>>;
}

/**
 * Pipelines per device, in a WeakMap so a destroyed or lost device takes its cache with it
 * (webgpu-utils' pattern). LRU-bounded: a long-lived server defining many objectives stays bounded.
 */
const moduleCaches = new WeakMap<GPUDevice, Map<string, ModuleEntry>>();
/** Each pipeline's bindings by variable name, read from its module's WGSL (named bindings). */
const pipelineBindings = new WeakMap<GPUComputePipeline, Map<string, number>>();

/** `@group(0) @binding(N) var<...> name` declarations of a module: name -> N. */
export function bindingNames(code: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const m of code.matchAll(/@group\(0\)\s*@binding\((\d+)\)\s*var(?:<[^>]*>)?\s+(\w+)/g)) out.set(m[2], Number(m[1]));
  return out;
}
export const MAX_MODULES = 128;

/**
 * The engine: device ownership, buffers (counted, for leak tests), pipelines, the lock that
 * serialises work on shared buffers, and error scopes that turn WebGPU errors into BroxError.
 * It knows objectives, samplers and kernels — nothing about BPM or any other method.
 */
export class GpuEngine {
  readonly device: GPUDevice;
  readonly tuning: KernelTuning;
  readonly wg: number;
  readonly subgroups: boolean;
  readonly chunk: number;
  readonly dispatches: number;
  readonly maxWg: number;
  readonly timer: GpuTimer | null;
  private lostWhy: string | null = null;
  private destroyed = false;
  private readonly live = new Set<GPUBuffer>();
  private queue: Promise<unknown> = Promise.resolve();
  private readonly dataBuffers = new WeakMap<Float32Array, GPUBuffer>();
  private readonly dataIds = new WeakMap<GPUBuffer, number>();
  private nextDataId = 1;
  /**
   * What a GPU run costs beyond its kernels: queue submissions, readbacks (buffer maps), dispatches;
   * and the GPU time of what was timed by timestamps (sampling passes, resident batches; stays 0
   * without 'timestamp-query').
   */
  readonly counts = { submissions: 0, readbacks: 0, dispatches: 0, gpuMs: 0 };

  constructor(private readonly init: EngineInit) {
    const { device } = init;
    this.device = device;
    this.tuning = { ...DEFAULT_TUNING, ...init.tuning };
    this.wg = this.tuning.wg;
    this.subgroups = (init.subgroups ?? true) && device.features.has('subgroups');
    this.chunk = init.chunking?.chunk ?? CHUNK;
    this.dispatches = init.chunking?.dispatches ?? DISPATCHES;
    this.maxWg = Math.min(MAX_WORKGROUPS, device.limits.maxComputeWorkgroupsPerDimension);
    this.timer = GpuTimer.create(device);
    device.lost.then((info) => {
      if (!this.destroyed) this.lostWhy = `GPU device lost: ${info.reason} ${info.message}`.trim();
    });
  }

  get adapterInfo(): AdapterSummary | null {
    return this.init.adapterInfo;
  }
  get ownsDevice(): boolean {
    return this.init.ownsDevice;
  }
  get lost(): string | null {
    return this.lostWhy;
  }
  get isDestroyed(): boolean {
    return this.destroyed;
  }

  /** Live buffers created through the engine, and their bytes (leak tests compare before/after). */
  stats(): { buffers: number; bytes: number } {
    let bytes = 0;
    for (const b of this.live) bytes += b.size;
    return { buffers: this.live.size, bytes };
  }

  buffer(label: string, size: number, usage: number): GPUBuffer {
    const b = this.device.createBuffer({ label, size: Math.max(16, Math.ceil(size / 4) * 4), usage });
    this.live.add(b);
    return b;
  }

  free(...bs: Array<GPUBuffer | null | undefined>): void {
    for (const b of bs) {
      if (!b) continue;
      this.live.delete(b);
      b.destroy();
    }
  }

  /** One piece of GPU work at a time: calls share the engine's buffers. */
  serial<T>(fn: () => Promise<T>): Promise<T> {
    const p = this.queue.then(() => {
      this.check();
      return fn();
    });
    this.queue = p.catch(() => undefined);
    return p;
  }

  check(): void {
    if (this.destroyed) throw new BroxError('oracle', 'this oracle was destroyed', 'GPU_ERROR');
    if (this.lostWhy) throw new BroxError('oracle', this.lostWhy, 'DEVICE_LOST');
  }

  /** Runs GPU work inside validation and out-of-memory scopes; any GPU failure becomes a BroxError. */
  async scoped<T>(fn: () => Promise<T>): Promise<T> {
    const { device } = this;
    device.pushErrorScope('out-of-memory');
    device.pushErrorScope('validation');
    let out: T | undefined;
    let failure: unknown = null;
    try {
      out = await fn();
    } catch (e) {
      failure = e ?? new Error('unknown failure');
    }
    const [v, m] = await Promise.all([device.popErrorScope().catch(() => null), device.popErrorScope().catch(() => null)]);
    if (this.lostWhy) throw new BroxError('oracle', this.lostWhy, 'DEVICE_LOST');
    if (v || m) throw new BroxError('oracle', `WebGPU error: ${(v ?? m)!.message}`, 'GPU_ERROR');
    if (failure) {
      if (failure instanceof BroxError) throw failure;
      if (this.destroyed) throw new BroxError('oracle', 'this oracle was destroyed during the call', 'GPU_ERROR');
      throw new BroxError('oracle', `WebGPU failure: ${(failure as Error).message ?? String(failure)}`, 'GPU_ERROR');
    }
    return out as T;
  }

  /** The pipeline of `entry` in the module for (objective, recipe, sampler kind/map, reductions). */
  pipeline(obj: Objective, recipe: KernelRecipe, sampler: PreparedSampler | null, entry: string): Promise<GPUComputePipeline> {
    let cache = moduleCaches.get(this.device);
    if (!cache) moduleCaches.set(this.device, (cache = new Map()));
    const key = [obj.name, obj.dim, recipe.name, sampler?.key ?? '-', this.subgroups, !!obj.data, obj.wgsl].join('\u0000');
    let e = cache.get(key);
    if (e) {
      cache.delete(key); // most recent last
      cache.set(key, e);
    } else {
      const composed = composeModule(obj, recipe, sampler, this.subgroups);
      const module = compileModule(this.device, composed, `brox.${recipe.name}.${obj.name}.d${obj.dim}`, obj.name);
      e = { module, names: bindingNames(composed.code), pipelines: new Map() };
      cache.set(key, e);
      const c = cache;
      module.catch(() => c.delete(key)); // a failed compile is not cached
      while (cache.size > MAX_MODULES) cache.delete(cache.keys().next().value!);
    }
    const pkey = `${entry}/${this.wg}`;
    let p = e.pipelines.get(pkey);
    if (!p) {
      const label = `brox.${recipe.name}.${obj.name}.d${obj.dim}.${entry}.wg${this.wg}`;
      const names = e.names;
      p = e.module.then(async (m) => {
        const pipe = await createPipeline(this.device, m, entry, { WG: this.wg }, label, obj.name);
        pipelineBindings.set(pipe, names);
        return pipe;
      });
      e.pipelines.set(pkey, p);
      const pipelines = e.pipelines;
      p.catch(() => pipelines.delete(pkey));
    }
    return p;
  }

  /** The objective's dataset on the GPU (one read-only storage buffer per dataset), or null. */
  dataBuffer(obj: Objective): GPUBuffer | null {
    if (!obj.data) return null;
    let b = this.dataBuffers.get(obj.data);
    if (!b) {
      const limit = Math.min(this.device.limits.maxStorageBufferBindingSize, this.device.limits.maxBufferSize);
      if (obj.data.byteLength > limit) {
        throw new BroxError('data', `${obj.data.byteLength} bytes of data for '${obj.name}' exceed this device's maxStorageBufferBindingSize / maxBufferSize (${limit} bytes); use fewer rows or the CPU backend`);
      }
      b = this.buffer(`brox.data.${obj.name}`, obj.data.byteLength, GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST);
      this.device.queue.writeBuffer(b, 0, obj.data as Float32Array<ArrayBuffer>);
      this.dataBuffers.set(obj.data, b);
      this.dataIds.set(b, this.nextDataId++);
    }
    return b;
  }

  forgetData(obj: Objective): void {
    const b = obj.data ? this.dataBuffers.get(obj.data) : undefined;
    if (!b || !obj.data) return;
    this.dataBuffers.delete(obj.data);
    // under the lock: no call is between fetching the buffer and submitting
    void this.serial(async () => this.free(b)).catch(() => undefined);
  }

  /** A compute pass whose dispatches are counted. */
  pass(enc: GPUCommandEncoder, desc: GPUComputePassDescriptor): GPUComputePassEncoder {
    const p = enc.beginComputePass(desc);
    const dispatch = p.dispatchWorkgroups.bind(p);
    p.dispatchWorkgroups = (x: number, y?: number, z?: number) => {
      this.counts.dispatches++;
      dispatch(x, y, z);
    };
    return p;
  }

  /** Submits one command buffer (counted). */
  submit(commands: GPUCommandBuffer): void {
    this.counts.submissions++;
    this.device.queue.submit([commands]);
  }

  async readMapped(b: GPUBuffer, bytes: number): Promise<ArrayBuffer> {
    this.counts.readbacks++;
    await b.mapAsync(GPUMapMode.READ, 0, bytes);
    const out = b.getMappedRange(0, bytes).slice(0);
    b.unmap();
    return out;
  }

  /** A bind group for `pipeline` from the resources of the bindings it uses. */
  bindGroup(label: string, pipeline: GPUComputePipeline, bindings: number[], resources: Record<number, GPUBindingResource | undefined>): GPUBindGroup {
    const entries: GPUBindGroupEntry[] = [];
    for (const b of bindings) {
      const r = resources[b];
      if (r) entries.push({ binding: b, resource: r });
    }
    return this.device.createBindGroup({ label, layout: pipeline.getBindGroupLayout(0), entries });
  }

  /**
   * A bind group from resources named by the WGSL variables they bind (the numbers live once, in
   * the WGSL). Absent (undefined/null) resources are skipped, and so are names in `optional` that
   * the module does not declare; any other undeclared name is a programming error.
   */
  bindNamed(label: string, pipeline: GPUComputePipeline, resources: Record<string, GPUBuffer | GPUBindingResource | null | undefined>, optional: string[] = []): GPUBindGroup {
    const names = pipelineBindings.get(pipeline);
    if (!names) throw new Error(`bindNamed: ${label}: pipeline not made by engine.pipeline()`);
    const entries: GPUBindGroupEntry[] = [];
    for (const [name, r] of Object.entries(resources)) {
      if (!r) continue;
      const binding = names.get(name);
      if (binding === undefined && optional.includes(name)) continue;
      if (binding === undefined) throw new Error(`bindNamed: ${label}: the module declares no binding '${name}'`);
      entries.push({ binding, resource: 'size' in r && 'usage' in r ? { buffer: r as GPUBuffer } : (r as GPUBindingResource) });
    }
    return this.device.createBindGroup({ label, layout: pipeline.getBindGroupLayout(0), entries });
  }

  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    for (const b of this.live) b.destroy();
    this.live.clear();
    this.timer?.destroy();
    if (this.init.ownsDevice) this.device.destroy();
    this.init.release?.();
  }
}
