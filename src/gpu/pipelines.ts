import type { Ball } from '../ball/types.js';
import type { Objective } from '../objectives/types.js';
import { composeObjectiveModule } from './compose.js';
import { compileModule, createPipeline } from './compile.js';

export type EntryPoint = 'sample_main' | 'sample_streaming_main' | 'reduce_main' | 'evaluate_main' | 'bpm_init' | 'bpm_update';

export interface KernelConfig {
  /** Workgroup size (WGSL override `WG`), a power of two. */
  wg: number;
  subgroups: boolean;
}

interface Entry {
  module: Promise<GPUShaderModule>;
  pipelines: Map<EntryPoint, Promise<GPUComputePipeline>>;
}

/**
 * Pipelines are built once per (objective text, dimension, ball, kernel config) and reused. Each
 * entry point is compiled on first use (BPM entry points only when BPM runs on the GPU). The cache
 * lives with the oracle, so it goes away with its device.
 */
export class PipelineCache {
  /** Least recently used first; a long-lived server defining many objectives stays bounded. */
  private readonly entries = new Map<string, Entry>();
  static readonly MAX_ENTRIES = 64;

  constructor(private readonly device: GPUDevice, private readonly ball: Ball) {}

  get(obj: Objective, cfg: KernelConfig, entry: EntryPoint): Promise<GPUComputePipeline> {
    const key = `${obj.name}\u0000${obj.dim}\u0000${this.ball.norm}\u0000${cfg.subgroups}\u0000${!!obj.data}\u0000${obj.wgsl}`;
    let e = this.entries.get(key);
    if (e) {
      this.entries.delete(key); // move to the most recent end
      this.entries.set(key, e);
    } else {
      const composed = composeObjectiveModule(obj, this.ball, { subgroups: cfg.subgroups });
      const module = compileModule(this.device, composed, `brox.${obj.name}.d${obj.dim}`, obj.name);
      e = { module, pipelines: new Map() };
      this.entries.set(key, e);
      module.catch(() => this.entries.delete(key)); // a failed compile is not cached
      while (this.entries.size > PipelineCache.MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value!);
    }
    const pkey = `${entry}/${cfg.wg}` as EntryPoint;
    let p = e.pipelines.get(pkey);
    if (!p) {
      const label = `brox.${obj.name}.d${obj.dim}.${entry}.wg${cfg.wg}`;
      p = e.module.then((m) => createPipeline(this.device, m, entry, { WG: cfg.wg }, label, obj.name));
      e.pipelines.set(pkey, p);
      const pipelines = e.pipelines;
      p.catch(() => pipelines.delete(pkey));
    }
    return p;
  }
}
