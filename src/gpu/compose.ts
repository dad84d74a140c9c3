import trigWgsl from '../../shaders/math/trig.wgsl?raw';
import rngWgsl from '../../shaders/rng/threefry.wgsl?raw';
import bestWgsl from '../../shaders/kernels/best.wgsl?raw';
import sampleWgsl from '../../shaders/kernels/sample.wgsl?raw';
import evaluateWgsl from '../../shaders/kernels/evaluate.wgsl?raw';
import reduceWgsl from '../../shaders/kernels/reduce.wgsl?raw';
import type { Ball } from '../ball/types';
import type { Objective } from '../objectives/types';

export interface ComposedModule {
  code: string;
  /** 1-based line where the user's objective snippet starts (for error messages). */
  objectiveLine: number;
  objectiveLines: number;
}

const lines = (s: string): number => s.split('\n').length;

/**
 * One shader module per (objective, dimension, ball): the objective is injected into the generic
 * sampling and evaluation kernels. The objective goes last so that a broken snippet cannot make
 * brox's own code fail to parse, and its line numbers map back to the user's text.
 */
export function composeObjectiveModule(objective: Objective, ball: Ball): ComposedModule {
  const head = [
    `// brox kernel for objective '${objective.name}', d = ${objective.dim}, ${ball.norm} ball`,
    `const DIM: u32 = ${objective.dim}u;`,
    trigWgsl,
    rngWgsl,
    bestWgsl,
    ball.wgsl,
    sampleWgsl,
    evaluateWgsl,
    `// ---- objective '${objective.name}' ----`,
    '',
  ].join('\n');
  return { code: head + objective.wgsl, objectiveLine: lines(head), objectiveLines: lines(objective.wgsl) };
}

export const reduceModuleCode = (): string => [bestWgsl, reduceWgsl].join('\n');
