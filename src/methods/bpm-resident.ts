import bpmWgsl from '../../shaders/methods/bpm.wgsl?raw';
import { BroxError } from '../errors.js';
import { CallBuffers } from '../engine/call.js';
import type { KernelRecipe } from '../engine/compose.js';
import type { GpuEngine } from '../engine/engine.js';
import { ArgminKernel } from '../engine/kernels/argmin.js';
import { State } from '../engine/layouts.js';
import { Layout } from '../engine/struct.js';
import type { Objective } from '../objectives/types.js';
import type { PreparedSampler } from '../samplers/spec.js';
import type { Bounds } from '../samplers/types.js';

/** BPM's own kernel parameters: the engine declares the layout, the method owns it. */
const BpmParams = new Layout('BroxBpmParams', [['n', 'u32'], ['hist_base', 'u32'], ['f_target', 'f32'], ['ftol', 'f32']] as const);

/** The resident BPM module: the argmin chunks' shared pieces plus bpm.wgsl (its own state binding). */
const BPM_RECIPE: KernelRecipe = { name: 'bpm', chunks: [bpmWgsl], sampling: true, best: true, layouts: [BpmParams] };

export interface ResidentBpmArgs {
  objective: Objective;
  sampler: PreparedSampler;
  bounds: Bounds | null;
  x0: Float64Array;
  seed: number;
  samples: number;
  /** Radius of step k (the host's float64 schedule; the GPU gets it rounded to float32). */
  radiusAt: (k: number) => number;
  fTarget: number;
  ftol: number;
  maxSteps: number;
  /** Steps per queue submission (one readback each). */
  batch: number;
  signal?: AbortSignal;
  /** Called with each batch's steps and the stop code after them; return true to stop. */
  onBatch?: (steps: ResidentStep[], stop: ResidentBpmRun['stop']) => Promise<boolean> | boolean;
}

export interface ResidentStep {
  k: number;
  /** f at the new centre, float32 as computed on the GPU. */
  fun32: number;
  improved: boolean;
  /** Winning sample index; -1 when the centre stayed. */
  index: number;
  /** The step's best sample even when float32 kept the centre (-1 if none): the host re-checks it. */
  winner: number;
  /** The centre after the step (float32 values). */
  x: number[];
  /** Wall time per step: the batch's time divided among its steps. */
  ms: number;
}

export interface ResidentBpmRun {
  steps: ResidentStep[];
  /** 0 none, 1 fixed point, 2 target reached, 3 ftol. */
  stop: 0 | 1 | 2 | 3;
  gpuMs?: number;
}

/**
 * GPU-resident BPM on the engine: up to `batch` steps per submission, stopping rules evaluated on
 * the GPU (a stopped run skips the rest of its batch), one readback per batch. The run has its own
 * buffers and takes the engine's lock one batch at a time, so `onBatch` (and BPM callbacks) may use
 * the oracle; radii come from the host's float64 schedule.
 */
export async function runResidentBpm(engine: GpuEngine, args: ResidentBpmArgs): Promise<ResidentBpmRun> {
  const obj = args.objective;
  const d = obj.dim;
  const strideBytes = (4 + d) * 4;
  const dev = engine.device;
  // Bound the work of one submission (GPU watchdogs) and the history buffer (binding limits).
  const histLimit = Math.min(dev.limits.maxStorageBufferBindingSize, 64 * 2 ** 20);
  const K = Math.max(1, Math.min(args.batch, Math.floor(2 ** 31 / args.samples), Math.floor(histLimit / strideBytes)));
  if (Math.ceil(args.samples / engine.chunk) > engine.dispatches) throw new BroxError('samples', `at most ${engine.dispatches * engine.chunk} samples per step on the GPU-resident loop`);
  const S = GPUBufferUsage;
  const bufs = new CallBuffers(engine, 'brox.bpmRun', K + 1);
  const argmin = new ArgminKernel(engine);
  const bparams = engine.buffer('brox.bpmRun.params', BpmParams.bytes(), S.UNIFORM | S.COPY_DST);
  const history = engine.buffer('brox.bpmRun.history', K * strideBytes, S.STORAGE | S.COPY_SRC);
  const historyRead = engine.buffer('brox.bpmRun.readback', State.headBytes + K * strideBytes, S.MAP_READ | S.COPY_DST);
  const spec = { objective: obj, sampler: args.sampler, bounds: args.bounds, seed: args.seed, call: 0, round: 0, center: args.x0, t: args.radiusAt(0), outer: args.x0, tOuter: Infinity };
  const steps: ResidentStep[] = [];
  let done = 0;
  let stop = 0;
  let gpuMs: number | undefined = engine.timer ? 0 : undefined;
  try {
    while (done < args.maxSteps) {
      args.signal?.throwIfAborted();
      const k = Math.min(K, args.maxSteps - done);
      let tb = 0;
      const bytes = await engine.serial(async () => {
        tb = performance.now(); // not counting the wait for the lock
        const data = engine.dataBuffer(obj);
        const [sample, update, initP] = await Promise.all([
          argmin.samplePipeline(spec),
          engine.pipeline(obj, BPM_RECIPE, args.sampler, 'brox_bpm_update'),
          engine.pipeline(obj, BPM_RECIPE, args.sampler, 'brox_bpm_init'),
        ]);
        return engine.scoped(async () => {
          if (done === 0) {
            bufs.writeState(0, args.x0);
            // the geometry's outer centre is unused with one round; the bounds and map are what count
            bufs.writeGeom(spec);
          }
          const grid = bufs.writeParams(spec, 0, args.samples, done);
          bufs.writeRadii(Array.from({ length: k + 1 }, (_, j) => [args.radiusAt(done + j), args.radiusAt(done + j + 1) < args.radiusAt(done + j)] as [number, boolean]));
          dev.queue.writeBuffer(bparams, 0, BpmParams.write({ n: grid.reduce((a, b) => a + b, 0), hist_base: done, f_target: args.fTarget, ftol: args.ftol }));
          const own = { 2: { buffer: argmin.partials }, 8: { buffer: bparams }, 11: { buffer: bufs.state }, 12: { buffer: history } };
          const enc = dev.createCommandEncoder({ label: 'brox.bpmBatch' });
          const pass = engine.pass(enc, { label: 'brox.bpmPass', timestampWrites: engine.timer?.writes() });
          if (done === 0) {
            pass.setPipeline(initP);
            pass.setBindGroup(0, engine.bindGroup('brox.bpm.init', initP, [4, 11], { ...bufs.resources(0, data), ...own }));
            pass.dispatchWorkgroups(1);
          }
          const ug = engine.bindGroup('brox.bpm.update', update, [0, 3, 5, 2, 8, 11, 12], { ...bufs.resources(0, data), ...own });
          for (let j = 0; j < k; j++) {
            argmin.encodeSamples(pass, sample, bufs, grid, data);
            pass.setPipeline(update);
            pass.setBindGroup(0, ug);
            pass.dispatchWorkgroups(1);
          }
          pass.end();
          engine.timer?.resolve(enc);
          enc.copyBufferToBuffer(bufs.state, 0, historyRead, 0, State.headBytes);
          enc.copyBufferToBuffer(history, 0, historyRead, State.headBytes, k * strideBytes);
          engine.submit(enc.finish());
          const [b, ms] = await Promise.all([engine.readMapped(historyRead, State.headBytes + k * strideBytes), engine.timer?.read()]);
          if (gpuMs !== undefined && ms !== undefined) gpuMs += ms;
          return b;
        });
      });
      const head = State.read(bytes);
      const executed = head.k - done;
      const msPerStep = (performance.now() - tb) / Math.max(1, executed);
      const batchSteps: ResidentStep[] = [];
      for (let j = 0; j < executed; j++) {
        const o = State.headBytes + j * strideBytes;
        const u = new Uint32Array(bytes, o, 4);
        const f = new Float32Array(bytes, o, 4 + d);
        batchSteps.push({ k: done + j, fun32: f[0], improved: u[1] === 1, index: u[1] === 1 ? u[3] * 2 ** 32 + u[2] : -1, winner: u[2] === 0xffffffff && u[3] === 0xffffffff ? -1 : u[3] * 2 ** 32 + u[2], x: Array.from(f.subarray(4)), ms: msPerStep });
      }
      steps.push(...batchSteps);
      done = head.k;
      stop = head.halt;
      // outside the lock: the callback may use this oracle
      if (args.onBatch && (await args.onBatch(batchSteps, stop as ResidentBpmRun['stop']))) break;
      if (stop !== 0) break;
    }
  } finally {
    // under the lock: no batch of this run is between encoding and its readback
    await engine.serial(async () => {
      bufs.destroy();
      argmin.destroy();
      engine.free(bparams, history, historyRead);
    }).catch(() => undefined);
  }
  return { steps, stop: stop as ResidentBpmRun['stop'], gpuMs };
}


