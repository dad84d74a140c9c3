import { l2Ball } from '../ball/l2.js';
import { BroxError } from '../errors.js';
import type { AdapterSummary } from '../gpu/adapter.js';
import { objectiveForms } from '../gpu/compose.js';
import { PipelineCache, type EntryPoint, type KernelConfig } from '../gpu/pipelines.js';
import { GpuTimer } from '../gpu/timer.js';
import type { Objective } from '../objectives/types.js';
import { MAX_DIM } from '../validate.js';
import { finishBrox } from './finish.js';
import { checkBroxInputs, checkPoints } from './inputs.js';
import type { BroxOptions, ObjectiveInput, Oracle, ResidentBpmArgs, ResidentBpmRun, ResidentStep } from './types.js';

/** Samples per dispatch: keeps the kernel's u32 loop counter far from wrapping. */
const CHUNK = 2 ** 30;
/** Dispatches per submission; calls larger than DISPATCHES * CHUNK take several submissions. */
const DISPATCHES = 16;
/** Upper bound on workgroups per dispatch (also capped by maxComputeWorkgroupsPerDimension). */
const MAX_WORKGROUPS = 4096;
const PARAM_STRIDE = 256; // minUniformBufferOffsetAlignment upper bound
const BEST_BYTES = 16;
const STATE_HEAD = 16; // k, stopped, fcenter, pad

export interface KernelTuning {
  /** Workgroup size (WGSL override). */
  wg: number;
  /** Samples each thread handles before the grid gets more workgroups. */
  samplesPerThread: number;
  /**
   * From this dimension on, objectives in streaming form use the kernel that regenerates normals
   * instead of holding the sample in a private array (which spills to memory at large d).
   */
  streamingMinDim: number;
}
export const DEFAULT_TUNING: KernelTuning = { wg: 64, samplesPerThread: 8, streamingMinDim: 32 };

export interface WebGpuOracleInit {
  device: GPUDevice;
  ownsDevice: boolean;
  adapterInfo: AdapterSummary | null;
  reason: string;
  release?: () => void;
  tuning?: Partial<KernelTuning>;
  /** Use subgroupMin reductions when the device has 'subgroups' (default true). */
  subgroups?: boolean;
  /** Internal: smaller chunks let tests exercise multi-dispatch and multi-batch calls cheaply. */
  chunking?: { chunk?: number; dispatches?: number };
}

/** Entry points that evaluate the objective (they also bind its dataset, binding 10). */
const USES_OBJECTIVE = new Set<EntryPoint>(['sample_main', 'sample_streaming_main', 'evaluate_main', 'bpm_init']);

/** Bindings each entry point uses (its 'auto' layout has exactly these). */
const BINDINGS: Record<EntryPoint, number[]> = {
  sample_main: [0, 1, 2, 11],
  sample_streaming_main: [0, 1, 2, 11],
  reduce_main: [2, 3, 4],
  bpm_init: [9],
  bpm_update: [0, 2, 3, 5, 9, 11],
  evaluate_main: [6, 7, 8],
};

/** The WebGPU backend: the objective injected into the sampling kernel, two-pass reduction. */
export function createWebGpuOracle(init: WebGpuOracleInit): Oracle & { kernel: KernelConfig & KernelTuning } {
  const { device } = init;
  const ball = l2Ball;
  const cache = new PipelineCache(device, ball);
  const tuning: KernelTuning = { ...DEFAULT_TUNING, ...init.tuning };
  const cfg: KernelConfig = { wg: tuning.wg, subgroups: (init.subgroups ?? true) && device.features.has('subgroups') };
  const chunk = init.chunking?.chunk ?? CHUNK;
  const dispatches = init.chunking?.dispatches ?? DISPATCHES;
  const maxWg = Math.min(MAX_WORKGROUPS, device.limits.maxComputeWorkgroupsPerDimension);
  const timer = GpuTimer.create(device);
  let lost: string | null = null;
  let destroyed = false;
  device.lost.then((info) => {
    if (!destroyed) lost = `GPU device lost: ${info.reason} ${info.message}`;
  });

  const S = GPUBufferUsage;
  const owned: GPUBuffer[] = [];
  const buf = (label: string, size: number, usage: number) => {
    const b = device.createBuffer({ label, size, usage });
    owned.push(b);
    return b;
  };
  const partials = buf('Oracle.partialBests', dispatches * maxWg * BEST_BYTES, S.STORAGE);
  const rparams = buf('Oracle.reduceParams', 16, S.UNIFORM | S.COPY_DST);
  const result = buf('Oracle.best', BEST_BYTES, S.STORAGE | S.COPY_SRC);
  const readback = buf('Oracle.bestReadback', BEST_BYTES, S.MAP_READ | S.COPY_DST);

  /**
   * What a run owns on the GPU: sample params, state (centre, k), radii per step and, for BPM, its
   * history. One-shot calls share the oracle's context; each GPU-resident BPM run gets its own, so
   * other calls can run between its batches. Bind groups are cached per context.
   */
  interface Ctx {
    params: GPUBuffer;
    state: GPUBuffer;
    radii: GPUBuffer;
    history: GPUBuffer | null;
    groups: WeakMap<GPUComputePipeline, Map<string, GPUBindGroup>>;
  }
  function makeCtx(label: string, radiiEntries: number, historyBytes = 0, track = true): Ctx {
    const make = track ? buf : (l: string, size: number, usage: number) => device.createBuffer({ label: l, size, usage });
    return {
      params: make(`${label}.sampleParams`, dispatches * PARAM_STRIDE, S.UNIFORM | S.COPY_DST),
      state: make(`${label}.state`, STATE_HEAD + MAX_DIM * 4, S.STORAGE | S.COPY_DST | S.COPY_SRC),
      radii: make(`${label}.radii`, Math.max(16, radiiEntries * 8), S.STORAGE | S.COPY_DST),
      history: historyBytes ? make(`${label}.history`, historyBytes, S.STORAGE | S.COPY_SRC) : null,
      groups: new WeakMap(),
    };
  }
  const shared = makeCtx('Oracle', 1);

  const resource = (ctx: Ctx, binding: number, dispatch = 0): GPUBindingResource => {
    switch (binding) {
      case 0: return { buffer: ctx.params, offset: dispatch * PARAM_STRIDE, size: 32 };
      case 1: return { buffer: ctx.state };
      case 2: return { buffer: partials };
      case 3: return { buffer: rparams };
      case 4: return { buffer: result };
      case 5: return { buffer: ctx.history! };
      case 9: return { buffer: ctx.state };
      case 11: return { buffer: ctx.radii };
      default: throw new Error(`binding ${binding} is per call`);
    }
  };
  // Datasets of data-backed objectives: one read-only storage buffer each, kept while the oracle lives.
  const dataBuffers = new WeakMap<Float32Array, GPUBuffer>();
  const dataIds = new WeakMap<GPUBuffer, number>();
  let nextDataId = 1;
  function dataBuffer(obj: Objective): GPUBuffer | null {
    if (!obj.data) return null;
    let b = dataBuffers.get(obj.data);
    if (!b) {
      const limit = Math.min(device.limits.maxStorageBufferBindingSize, device.limits.maxBufferSize);
      if (obj.data.byteLength > limit) {
        throw new BroxError('data', `${obj.data.byteLength} bytes of data for '${obj.name}' exceed this device's maxStorageBufferBindingSize / maxBufferSize (${limit} bytes); use fewer rows or the CPU backend`);
      }
      b = buf(`Oracle.data.${obj.name}`, Math.max(16, Math.ceil(obj.data.byteLength / 4) * 4), S.STORAGE | S.COPY_DST);
      device.queue.writeBuffer(b, 0, obj.data as Float32Array<ArrayBuffer>);
      dataBuffers.set(obj.data, b);
      dataIds.set(b, nextDataId++);
    }
    return b;
  }

  function group(ctx: Ctx, pipeline: GPUComputePipeline, entry: EntryPoint, dispatch = 0, data: GPUBuffer | null = null): GPUBindGroup {
    let m = ctx.groups.get(pipeline);
    if (!m) ctx.groups.set(pipeline, (m = new Map()));
    const key = `${dispatch}/${data ? dataIds.get(data) : 0}`;
    let g = m.get(key);
    if (!g) {
      const entries: GPUBindGroupEntry[] = BINDINGS[entry].map((b) => ({ binding: b, resource: resource(ctx, b, dispatch) }));
      if (data && USES_OBJECTIVE.has(entry)) entries.push({ binding: 10, resource: { buffer: data } });
      g = device.createBindGroup({ label: `Oracle.${entry}.group${dispatch}`, layout: pipeline.getBindGroupLayout(0), entries });
      m.set(key, g);
    }
    return g;
  }
  const pipe = (obj: Objective, entry: EntryPoint) => cache.get(obj, cfg, entry);
  const sampleEntry = (obj: Objective): EntryPoint =>
    obj.dim >= tuning.streamingMinDim && objectiveForms(obj.wgsl).streaming ? 'sample_streaming_main' : 'sample_main';

  // One call at a time: the oracle's buffers are shared between calls.
  let queue: Promise<unknown> = Promise.resolve();
  const serial = <T>(fn: () => Promise<T>): Promise<T> => {
    const p = queue.then(() => {
      if (destroyed) throw new BroxError('oracle', 'this oracle was destroyed', 'GPU_ERROR');
      if (lost) throw new BroxError('oracle', lost, 'GPU_ERROR');
      return fn();
    });
    queue = p.catch(() => undefined);
    return p;
  };

  async function withErrorScope<T>(fn: () => Promise<T>): Promise<T> {
    device.pushErrorScope('out-of-memory');
    device.pushErrorScope('validation');
    let out: T | undefined;
    let failure: unknown = null;
    try {
      out = await fn();
    } catch (e) {
      failure = e ?? new Error('unknown failure');
    }
    const v = await device.popErrorScope();
    const m = await device.popErrorScope();
    if (v || m) throw new BroxError('oracle', `WebGPU error: ${(v ?? m)!.message}`, 'GPU_ERROR');
    if (failure) throw failure;
    return out as T;
  }

  /** Writes one SampleParams block per dispatch of [start, end); returns workgroups per dispatch. */
  function writeSampleParams(ctx: Ctx, seed: number, start: number, end: number, kBase: number): number[] {
    const grid: number[] = [];
    let partialOffset = 0;
    for (let s = start, i = 0; s < end; s += chunk, i++) {
      const n = Math.min(chunk, end - s);
      const nwg = Math.min(maxWg, Math.ceil(n / (tuning.wg * tuning.samplesPerThread)));
      const u = new Uint32Array([seed, n, s % 2 ** 32, Math.floor(s / 2 ** 32), partialOffset, kBase, 0, 0]);
      device.queue.writeBuffer(ctx.params, i * PARAM_STRIDE, u);
      grid.push(nwg);
      partialOffset += nwg;
    }
    return grid;
  }

  function writeReduceParams(n: number, histBase = 0, fTarget = -3.4e38, ftol = 0) {
    const p = new ArrayBuffer(16);
    new Uint32Array(p).set([n, histBase]);
    new Float32Array(p).set([fTarget, ftol], 2);
    device.queue.writeBuffer(rparams, 0, p);
  }

  function writeState(ctx: Ctx, call: number, center: ArrayLike<number>) {
    const p = new ArrayBuffer(STATE_HEAD + center.length * 4);
    new Uint32Array(p, 0, 4).set([call, 0, 0, 0]);
    new Float32Array(p, STATE_HEAD).set(center);
    device.queue.writeBuffer(ctx.state, 0, p);
  }

  /** radii[j] = (float32 radius of step kBase + j, 1 if the radius shrinks after it). */
  function writeRadii(ctx: Ctx, radii: Array<[number, boolean]>) {
    const f = new Float32Array(radii.length * 2);
    radii.forEach(([t, shrinks], j) => f.set([t, shrinks ? 1 : 0], 2 * j));
    device.queue.writeBuffer(ctx.radii, 0, f);
  }

  async function readMapped(b: GPUBuffer, bytes: number): Promise<ArrayBuffer> {
    await b.mapAsync(GPUMapMode.READ, 0, bytes);
    const out = b.getMappedRange(0, bytes).slice(0);
    b.unmap();
    return out;
  }

  const sum = (a: number[]) => a.reduce((s, v) => s + v, 0);

  const oracle = {
    backend: 'webgpu' as const,
    adapterInfo: init.adapterInfo,
    reason: init.reason,
    kernel: { ...cfg, ...tuning },

    async brox(objective: ObjectiveInput, x: ArrayLike<number>, t: number, opts?: BroxOptions) {
      const t0 = performance.now();
      const inp = checkBroxInputs(objective, x, t, opts);
      return serial(async () => {
        const sEntry = sampleEntry(inp.objective);
        const data = dataBuffer(inp.objective);
        const sample = await pipe(inp.objective, sEntry);
        const reduce = await pipe(inp.objective, 'reduce_main');
        writeState(shared, inp.call, inp.x);
        writeRadii(shared, [[inp.t, false]]);
        let winner = -1;
        let winnerKey = Infinity;
        let gpuMs: number | undefined = timer ? 0 : undefined;
        const end = inp.offset + inp.samples;
        for (let start = inp.offset; start < end; start += dispatches * chunk) {
          const batchEnd = Math.min(end, start + dispatches * chunk);
          const best = await withErrorScope(async () => {
            const grid = writeSampleParams(shared, inp.seed, start, batchEnd, inp.call);
            writeReduceParams(sum(grid));
            const enc = device.createCommandEncoder({ label: 'Oracle.brox' });
            // one pass: dispatches are ordered and see each other's writes
            const pass = enc.beginComputePass({ label: 'Oracle.broxPass', timestampWrites: timer?.writes() });
            pass.setPipeline(sample);
            grid.forEach((nwg, i) => {
              pass.setBindGroup(0, group(shared, sample, sEntry, i, data));
              pass.dispatchWorkgroups(nwg);
            });
            pass.setPipeline(reduce);
            pass.setBindGroup(0, group(shared, reduce, 'reduce_main'));
            pass.dispatchWorkgroups(1);
            pass.end();
            timer?.resolve(enc);
            enc.copyBufferToBuffer(result, 0, readback, 0, BEST_BYTES);
            device.queue.submit([enc.finish()]);
            const [w, ms] = await Promise.all([readMapped(readback, BEST_BYTES), timer?.read()]);
            if (gpuMs !== undefined && ms !== undefined) gpuMs += ms;
            return new Uint32Array(w);
          });
          // keys are order-preserving; batches run in index order, so strict < keeps ties lowest
          if (best[0] !== 0xffffffff && best[0] < winnerKey) {
            winnerKey = best[0];
            winner = best[2] * 2 ** 32 + best[1];
          }
        }
        return { ...finishBrox(ball, inp, winner, 'webgpu', t0), gpuMs };
      });
    },

    async evaluate(objective: ObjectiveInput, points: ArrayLike<ArrayLike<number>>) {
      const { objective: obj, rows } = checkPoints(objective, points);
      return serial(async () => {
        const data = dataBuffer(obj);
        const pipeline = await pipe(obj, 'evaluate_main');
        const d = obj.dim;
        const maxBytes = Math.min(device.limits.maxStorageBufferBindingSize, 64 * 2 ** 20);
        const rowsPerChunk = Math.max(1, Math.floor(maxBytes / (d * 4)));
        const out: number[] = [];
        for (let r0 = 0; r0 < rows.length; r0 += rowsPerChunk) {
          const n = Math.min(rowsPerChunk, rows.length - r0);
          const flat = new Float32Array(n * d);
          for (let r = 0; r < n; r++) flat.set(rows[r0 + r], r * d);
          const make = (label: string, size: number, usage: number) => device.createBuffer({ label, size, usage });
          const pBuf = make('Oracle.evalPoints', flat.byteLength, S.STORAGE | S.COPY_DST);
          const vBuf = make('Oracle.evalValues', n * 4, S.STORAGE | S.COPY_SRC);
          const rBuf = make('Oracle.evalReadback', n * 4, S.MAP_READ | S.COPY_DST);
          const uBuf = make('Oracle.evalParams', 16, S.UNIFORM | S.COPY_DST);
          try {
            const vals = await withErrorScope(async () => {
              device.queue.writeBuffer(pBuf, 0, flat);
              device.queue.writeBuffer(uBuf, 0, new Uint32Array([n, 0, 0, 0]));
              const bg = device.createBindGroup({
                label: 'Oracle.evalGroup',
                layout: pipeline.getBindGroupLayout(0),
                entries: [
                  { binding: 6, resource: { buffer: uBuf } },
                  { binding: 7, resource: { buffer: pBuf } },
                  { binding: 8, resource: { buffer: vBuf } },
                  ...(data ? [{ binding: 10, resource: { buffer: data } }] : []),
                ],
              });
              const enc = device.createCommandEncoder({ label: 'Oracle.evaluate' });
              const pass = enc.beginComputePass();
              pass.setPipeline(pipeline);
              pass.setBindGroup(0, bg);
              pass.dispatchWorkgroups(Math.min(maxWg, Math.ceil(n / tuning.wg)));
              pass.end();
              enc.copyBufferToBuffer(vBuf, 0, rBuf, 0, n * 4);
              device.queue.submit([enc.finish()]);
              return new Float32Array(await readMapped(rBuf, n * 4));
            });
            for (const v of vals) out.push(v);
          } finally {
            for (const b of [pBuf, vBuf, rBuf, uBuf]) b.destroy();
          }
        }
        return out;
      });
    },

    /**
     * GPU-resident BPM: up to `batch` steps per submission, stopping rules evaluated on the GPU (a
     * stopped run skips the rest of its batch), one readback per batch. The run has its own GPU
     * context and takes the oracle's lock one batch at a time, so `onBatch` (and BPM callbacks) may
     * use the oracle; radii come from the host's float64 schedule.
     */
    async runBpmSteps(args: ResidentBpmArgs): Promise<ResidentBpmRun> {
      const obj = args.objective;
      const d = obj.dim;
      const strideBytes = (4 + d) * 4;
      // Bound the work of one submission (GPU watchdogs) and the history buffer (binding limits).
      const histLimit = Math.min(device.limits.maxStorageBufferBindingSize, 64 * 2 ** 20);
      const K = Math.max(1, Math.min(args.batch, Math.floor(2 ** 31 / args.samples), Math.floor(histLimit / strideBytes)));
      if (Math.ceil(args.samples / chunk) > dispatches) throw new BroxError('samples', `at most ${dispatches * chunk} samples per step on the GPU-resident loop`);
      const ctx = makeCtx('Oracle.bpmRun', K + 1, K * strideBytes, false);
      const historyRead = device.createBuffer({ label: 'Oracle.bpmRun.readback', size: STATE_HEAD + K * strideBytes, usage: S.MAP_READ | S.COPY_DST });
      const steps: ResidentStep[] = [];
      let done = 0;
      let stop = 0;
      let gpuMs: number | undefined = timer ? 0 : undefined;
      try {
        while (done < args.maxSteps) {
          const k = Math.min(K, args.maxSteps - done);
          let tb = 0;
          const bytes = await serial(async () => {
            tb = performance.now(); // not counting the wait for the lock
            const sEntry = sampleEntry(obj);
            const data = dataBuffer(obj);
            const [sample, update, initP] = await Promise.all([pipe(obj, sEntry), pipe(obj, 'bpm_update'), pipe(obj, 'bpm_init')]);
            return withErrorScope(async () => {
              if (done === 0) writeState(ctx, 0, args.x0);
              const grid = writeSampleParams(ctx, args.seed, 0, args.samples, done);
              writeRadii(ctx, Array.from({ length: k + 1 }, (_, j) => [args.radiusAt(done + j), args.radiusAt(done + j + 1) < args.radiusAt(done + j)] as [number, boolean]));
              writeReduceParams(sum(grid), done, args.fTarget, args.ftol);
              const enc = device.createCommandEncoder({ label: 'Oracle.bpmBatch' });
              const pass = enc.beginComputePass({ label: 'Oracle.bpmPass', timestampWrites: timer?.writes() });
              if (done === 0) {
                pass.setPipeline(initP);
                pass.setBindGroup(0, group(ctx, initP, 'bpm_init', 0, data));
                pass.dispatchWorkgroups(1);
              }
              const ug = group(ctx, update, 'bpm_update', 0, data);
              for (let j = 0; j < k; j++) {
                pass.setPipeline(sample);
                grid.forEach((nwg, i) => {
                  pass.setBindGroup(0, group(ctx, sample, sEntry, i, data));
                  pass.dispatchWorkgroups(nwg);
                });
                pass.setPipeline(update);
                pass.setBindGroup(0, ug);
                pass.dispatchWorkgroups(1);
              }
              pass.end();
              timer?.resolve(enc);
              enc.copyBufferToBuffer(ctx.state, 0, historyRead, 0, STATE_HEAD);
              enc.copyBufferToBuffer(ctx.history!, 0, historyRead, STATE_HEAD, k * strideBytes);
              device.queue.submit([enc.finish()]);
              const [b, ms] = await Promise.all([readMapped(historyRead, STATE_HEAD + k * strideBytes), timer?.read()]);
              if (gpuMs !== undefined && ms !== undefined) gpuMs += ms;
              return b;
            });
          });
          const head = new Uint32Array(bytes, 0, 4);
          const executed = head[0] - done;
          const msPerStep = (performance.now() - tb) / Math.max(1, executed);
          const batchSteps: ResidentStep[] = [];
          for (let j = 0; j < executed; j++) {
            const o = STATE_HEAD + j * strideBytes;
            const u = new Uint32Array(bytes, o, 4);
            const f = new Float32Array(bytes, o, 4 + d);
            batchSteps.push({ k: done + j, fun32: f[0], improved: u[1] === 1, index: u[1] === 1 ? u[3] * 2 ** 32 + u[2] : -1, winner: u[2] === 0xffffffff && u[3] === 0xffffffff ? -1 : u[3] * 2 ** 32 + u[2], x: Array.from(f.subarray(4)), ms: msPerStep });
          }
          steps.push(...batchSteps);
          done = head[0];
          stop = head[1];
          // outside the lock: the callback may use this oracle
          if (args.onBatch && (await args.onBatch(batchSteps, stop as ResidentBpmRun['stop']))) break;
          if (stop !== 0) break;
        }
      } finally {
        for (const b of [ctx.params, ctx.state, ctx.radii, ctx.history!, historyRead]) b.destroy();
      }
      return { steps, stop: stop as ResidentBpmRun['stop'], gpuMs };
    },

    forget(obj: Objective) {
      const b = obj.data ? dataBuffers.get(obj.data) : undefined;
      if (!b || !obj.data) return;
      dataBuffers.delete(obj.data);
      owned.splice(owned.indexOf(b), 1);
      // under the lock: no call is between fetching the buffer and submitting; destroy() is safe
      // for work already submitted
      void serial(async () => b.destroy()).catch(() => undefined);
    },

    destroy() {
      if (destroyed) return;
      destroyed = true;
      for (const b of owned) b.destroy();
      timer?.destroy();
      if (init.ownsDevice) device.destroy();
      init.release?.();
    },
  };
  return oracle;
}
