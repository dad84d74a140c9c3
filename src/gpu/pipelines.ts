import type { Ball } from '../ball/types';
import type { Objective } from '../objectives/types';
import { composeObjectiveModule, reduceModuleCode } from './compose';
import { compileModule, createPipeline } from './compile';

/** Workgroup sizes (WGSL `override` constants). Powers of two. */
export const SAMPLE_WG = 64;
export const REDUCE_WG = 256;

export interface ObjectivePipelines {
  sample: GPUComputePipeline;
  evaluate: GPUComputePipeline;
}

/**
 * Pipelines are built once per (device, objective text, dimension, ball) and reused; the cache
 * lives with the oracle so it goes away with its device.
 */
export class PipelineCache {
  private readonly objectives = new Map<string, Promise<ObjectivePipelines>>();
  private reduce: Promise<GPUComputePipeline> | null = null;

  constructor(private readonly device: GPUDevice, private readonly ball: Ball) {}

  forObjective(obj: Objective): Promise<ObjectivePipelines> {
    const key = `${obj.name}\u0000${obj.dim}\u0000${this.ball.norm}\u0000${obj.wgsl}`;
    let p = this.objectives.get(key);
    if (!p) {
      p = this.build(obj);
      this.objectives.set(key, p);
      p.catch(() => this.objectives.delete(key)); // a failed compile is not cached
    }
    return p;
  }

  forReduce(): Promise<GPUComputePipeline> {
    if (!this.reduce) {
      const device = this.device;
      const composed = { code: reduceModuleCode(), objectiveLine: Infinity, objectiveLines: 0 };
      this.reduce = compileModule(device, composed, 'brox.reduce', '(none)').then((m) =>
        createPipeline(device, m, 'reduce_main', { RWG: REDUCE_WG }, 'brox.reduce', '(none)'),
      );
    }
    return this.reduce;
  }

  private async build(obj: Objective): Promise<ObjectivePipelines> {
    const composed = composeObjectiveModule(obj, this.ball);
    const label = `brox.${obj.name}.d${obj.dim}`;
    const module = await compileModule(this.device, composed, label, obj.name);
    const [sample, evaluate] = await Promise.all([
      createPipeline(this.device, module, 'sample_main', { WG: SAMPLE_WG }, `${label}.sample`, obj.name),
      createPipeline(this.device, module, 'evaluate_main', { WG: SAMPLE_WG }, `${label}.evaluate`, obj.name),
    ]);
    return { sample, evaluate };
  }
}
