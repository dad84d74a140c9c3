import trigWgsl from '../../shaders/math/trig.wgsl?raw';
import rngWgsl from '../../shaders/rng/threefry.wgsl?raw';
import bestWgsl from '../../shaders/engine/best.wgsl?raw';
import treeWgsl from '../../shaders/engine/wg_reduce_tree.wgsl?raw';
import subgroupWgsl from '../../shaders/engine/wg_reduce_subgroup.wgsl?raw';
import commonWgsl from '../../shaders/engine/common.wgsl?raw';
import centerWgsl from '../../shaders/engine/center_readonly.wgsl?raw';
import pointWgsl from '../../shaders/engine/sample_point.wgsl?raw';
import argminWgsl from '../../shaders/engine/argmin.wgsl?raw';
import streamingWgsl from '../../shaders/engine/argmin_streaming.wgsl?raw';
import topkWgsl from '../../shaders/engine/topk.wgsl?raw';
import momentsWgsl from '../../shaders/engine/moments.wgsl?raw';
import evaluateWgsl from '../../shaders/engine/evaluate.wgsl?raw';
import fromTermsWgsl from '../../shaders/engine/objective_from_terms.wgsl?raw';
import { objectiveForms } from '../objectives/forms.js';
import type { Objective } from '../objectives/types.js';

export { objectiveForms };
import { mapCode, type PreparedSampler } from '../samplers/spec.js';
import { ENGINE_LAYOUTS } from './layouts.js';
import type { Layout } from './struct.js';

/**
 * WGSL composition. Why plain text chunks and not a WGSL linker (the `wesl` package) or a
 * build-time #include plugin (vite-plugin-glsl): objectives arrive at run time (user WGSL,
 * expressions), so composition must happen at run time anyway; the user's snippet must stay
 * byte-for-byte at a known line so compiler errors map to *their* line and column; and the
 * engine's chunks are few, each named for what it holds. A kernel module holds only the chunks
 * its kernel uses, in dependency order, and every engine global is `brox_`-prefixed so it cannot
 * clash with names in an objective.
 */
export interface ComposedModule {
  code: string;
  /** 1-based line where the user's objective snippet starts (for error messages). */
  objectiveLine: number;
}

/** What a kernel module is made of, beyond the prelude, sampler and objective. */
export interface KernelRecipe {
  /** Short name, part of the cache key and labels. */
  name: string;
  /** Chunks after the sampler (e.g. the kernel's entry points). */
  chunks: string[];
  /** Needs a sampler (sampling kernels) or not (evaluate). */
  sampling: boolean;
  /** Needs the workgroup reduction over BroxBest. */
  best: boolean;
  /** Extra struct layouts (a method's own kernels). */
  layouts?: Layout<string>[];
}

const IDS = `struct BroxIds {
  @builtin(global_invocation_id) gid: vec3<u32>,
  @builtin(local_invocation_index) lid: u32,
  @builtin(workgroup_id) wid: vec3<u32>,
  @builtin(num_workgroups) nwg: vec3<u32>,
}`;
const IDS_SUBGROUP = IDS.replace('\n}', '\n  @builtin(subgroup_invocation_id) sg_lane: u32,\n  @builtin(subgroup_size) sg_size: u32,\n}');

const lines = (s: string): number => s.split('\n').length;


export const RECIPES = {
  argmin: { name: 'argmin', chunks: [centerWgsl, argminWgsl], sampling: true, best: true },
  argminStreaming: { name: 'argmin-streaming', chunks: [centerWgsl, argminWgsl, streamingWgsl], sampling: true, best: true },
  topk: { name: 'topk', chunks: [centerWgsl, topkWgsl], sampling: true, best: true },
  moments: { name: 'moments', chunks: [centerWgsl, momentsWgsl], sampling: true, best: true },
  evaluate: { name: 'evaluate', chunks: [evaluateWgsl], sampling: false, best: false },
} satisfies Record<string, KernelRecipe>;

export function composeModule(objective: Objective, recipe: KernelRecipe, sampler: PreparedSampler | null, subgroups: boolean): ComposedModule {
  const forms = objectiveForms(objective.wgsl);
  const useSubgroups = subgroups && recipe.best;
  const head = [
    ...(useSubgroups ? ['enable subgroups;'] : []),
    `// brox ${recipe.name} kernel: objective '${objective.name}', d = ${objective.dim}${sampler ? `, sampler ${sampler.key}` : ''}`,
    `const DIM: u32 = ${objective.dim}u;`,
    trigWgsl,
    ...[...ENGINE_LAYOUTS, ...(recipe.layouts ?? [])].map((l) => l.wgsl()),
    'override WG: u32 = 64;  // workgroup size, a power of two; chosen per device by the tuner',
    useSubgroups ? IDS_SUBGROUP : IDS,
    ...(recipe.best ? [bestWgsl, useSubgroups ? subgroupWgsl : treeWgsl] : []),
    ...(sampler && recipe.sampling
      ? [
          rngWgsl,
          `// ---- generator '${sampler.gen.name}' ----`,
          sampler.gen.wgsl,
          `const BROX_MAP: u32 = ${mapCode(sampler.map)}u;`,
          `const BROX_BALL: bool = ${sampler.plugin.ball};`,
          `// ---- sampler '${sampler.plugin.kind}' ----`,
          sampler.plugin.wgsl,
          commonWgsl,
          pointWgsl,
        ]
      : []),
    ...recipe.chunks,
    ...(objective.data ? ["// the objective's dataset (read-only storage)", '@group(0) @binding(4) var<storage, read> brox_data: array<f32>;'] : []),
    ...(forms.array ? [] : [fromTermsWgsl]),
    `// ---- objective '${objective.name}' ----`,
    '',
  ].join('\n');
  return { code: head + objective.wgsl, objectiveLine: lines(head) };
}
