import trigWgsl from '../../shaders/math/trig.wgsl?raw';
import rngWgsl from '../../shaders/rng/threefry.wgsl?raw';
import bestWgsl from '../../shaders/kernels/best.wgsl?raw';
import treeWgsl from '../../shaders/kernels/wg_reduce_tree.wgsl?raw';
import subgroupWgsl from '../../shaders/kernels/wg_reduce_subgroup.wgsl?raw';
import sampleWgsl from '../../shaders/kernels/sample.wgsl?raw';
import reduceWgsl from '../../shaders/kernels/reduce.wgsl?raw';
import bpmWgsl from '../../shaders/kernels/bpm.wgsl?raw';
import evaluateWgsl from '../../shaders/kernels/evaluate.wgsl?raw';
import streamingWgsl from '../../shaders/kernels/sample_streaming.wgsl?raw';
import fromTermsWgsl from '../../shaders/kernels/objective_from_terms.wgsl?raw';
import type { Ball } from '../ball/types.js';
import type { Objective } from '../objectives/types.js';

export interface ComposedModule {
  code: string;
  /** 1-based line where the user's objective snippet starts (for error messages). */
  objectiveLine: number;
}

export interface ComposeOptions {
  /** Use subgroupMin in workgroup reductions (device must have the 'subgroups' feature). */
  subgroups: boolean;
}

const lines = (s: string): number => s.split('\n').length;

/** Does the snippet define the array form, the streaming form, or both? */
export function objectiveForms(wgsl: string): { array: boolean; streaming: boolean } {
  return { array: /\bfn\s+objective\s*\(/.test(wgsl), streaming: /\bfn\s+objective_term\s*\(/.test(wgsl) };
}

/**
 * One shader module per (objective, dimension, ball, reduction variant): the objective is injected
 * into the generic kernels (sample, reduce, BPM step, evaluate). The objective goes last so that a
 * broken snippet cannot make brox's own code fail to parse, and its line numbers map back to the
 * user's text.
 */
export function composeObjectiveModule(objective: Objective, ball: Ball, opts: ComposeOptions): ComposedModule {
  const forms = objectiveForms(objective.wgsl);
  const head = [
    ...(opts.subgroups ? ['enable subgroups;'] : []),
    `// brox kernels for objective '${objective.name}', d = ${objective.dim}, ${ball.norm} ball, ${opts.subgroups ? 'subgroup' : 'tree'} reductions`,
    `const DIM: u32 = ${objective.dim}u;`,
    trigWgsl,
    rngWgsl,
    bestWgsl,
    opts.subgroups ? subgroupWgsl : treeWgsl,
    ball.wgsl,
    sampleWgsl,
    reduceWgsl,
    bpmWgsl,
    evaluateWgsl,
    ...(objective.data ? ['// the objective\'s dataset (read-only storage)', '@group(0) @binding(10) var<storage, read> brox_data: array<f32>;'] : []),
    ...(forms.streaming ? [streamingWgsl] : []),
    ...(forms.array ? [] : [fromTermsWgsl]),
    `// ---- objective '${objective.name}' ----`,
    '',
  ].join('\n');
  return { code: head + objective.wgsl, objectiveLine: lines(head) };
}
