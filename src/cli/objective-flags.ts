import { basename, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Command } from 'commander';
import { loadDataset } from '../data/load.js';
import { readTextBounded } from '../data/read.js';
import { BroxError, preview } from '../errors.js';
import { exprObjective } from '../expr/index.js';
import { DATA_OBJECTIVES, type DataObjectiveName } from '../objectives/data.js';
import { defineObjective } from '../objectives/define.js';
import { builtinNames, builtins, getObjective } from '../objectives/registry.js';
import type { Objective } from '../objectives/types.js';
import { parseNumber, parseVector } from './parse.js';

export interface ObjectiveFlags {
  objective?: string;
  expr?: string;
  wgsl?: string;
  js?: string;
  data?: string;
  shape?: string;
  dim?: string;
}

/** The options that choose an objective, shared by run, brox and eval. */
export function objectiveOptions(cmd: Command, defaultObjective?: string): Command {
  return cmd
    .option('--objective <name>', `a built-in (${builtinNames().join(', ')}), a BBOB function bbob-f<1..24>-i<instance>, or, with --data, one of ${Object.keys(DATA_OBJECTIVES).join(', ')}${defaultObjective ? ` (default ${defaultObjective})` : ''}`)
    .option('--expr <expression>', 'an objective written as one expression, e.g. "sum(i, x[i]^2)" (see README)')
    .option('--wgsl <file>', 'user WGSL defining fn objective(x: ptr<function, array<f32, DIM>>) -> f32 (with --js)')
    .option('--js <file>', 'ES module whose default export is the JS twin (x) => number (with --wgsl)')
    .option('--data <file>', 'dataset for a data objective: .csv, .json or raw .f32 (last column = target)')
    .option('--shape <rows,cols>', 'shape of raw .f32 data')
    .option('--dim <d>', 'dimension, 1..1024 (not for --data: it is the number of features)');
}

/** Resolves exactly one objective source from the flags. */
export async function resolveObjectiveFlags(f: ObjectiveFlags, defaults: { objective?: string; dim: number }): Promise<{ objective: Objective; defaultStart: number[] }> {
  const sources = [f.expr !== undefined, f.wgsl !== undefined || f.js !== undefined, f.objective !== undefined && f.data === undefined, f.data !== undefined].filter(Boolean).length;
  if (sources > 1) throw new BroxError('--objective', 'give one of --objective NAME, --expr "...", --wgsl F --js F, or --data F --objective KIND');
  const dim = () => (f.dim !== undefined ? parseNumber(f.dim, '--dim') : defaults.dim);
  const zeros = (d: number) => new Array<number>(d).fill(0);
  if (f.data !== undefined) {
    const kind = f.objective ?? '';
    if (!Object.hasOwn(DATA_OBJECTIVES, kind)) throw new BroxError('--objective', `with --data it must be one of ${Object.keys(DATA_OBJECTIVES).join(', ')}, got '${preview(kind)}'`);
    if (f.dim !== undefined) throw new BroxError('--dim', 'is the number of feature columns of --data; do not pass it');
    const shape = f.shape !== undefined ? (parseVector(f.shape, '--shape') as [number, number]) : undefined;
    const objective = DATA_OBJECTIVES[kind as DataObjectiveName](loadDataset(f.data, shape));
    return { objective, defaultStart: zeros(objective.dim) };
  }
  if (f.expr !== undefined) {
    const objective = exprObjective({ expr: f.expr, dim: dim() });
    return { objective, defaultStart: zeros(objective.dim) };
  }
  if (f.wgsl !== undefined || f.js !== undefined) {
    if (f.wgsl === undefined || f.js === undefined) throw new BroxError(f.wgsl === undefined ? '--wgsl' : '--js', 'user objectives need both --wgsl FILE and --js FILE (its twin)');
    const wgsl = readTextBounded(f.wgsl, '--wgsl');
    let mod: { default?: unknown; objective?: unknown };
    try {
      mod = await import(pathToFileURL(resolve(f.js)).href);
    } catch (e) {
      throw new BroxError('--js', `cannot load '${f.js}' as an ES module: ${(e as Error).message}`);
    }
    const js = mod.default ?? mod.objective;
    if (typeof js !== 'function') throw new BroxError('--js', `'${f.js}' must export a function (x) => number as default (or as 'objective')`);
    const objective = defineObjective({ name: basename(f.wgsl).replace(/\.wgsl$/, '').replace(/[^\w.-]/g, '_').replace(/^[^A-Za-z]/, 'f'), dim: dim(), wgsl, js: js as (x: ArrayLike<number>) => number });
    return { objective, defaultStart: zeros(objective.dim) };
  }
  const name = f.objective ?? defaults.objective;
  if (!name) throw new BroxError('--objective', 'give one of --objective NAME, --expr "...", --wgsl F --js F, or --data F --objective KIND');
  const objective = getObjective(name, dim()); // throws for unknown names
  // bbob-f<fid>-i<k>: start at the centre of [-5, 5]^d
  return { objective, defaultStart: Object.hasOwn(builtins, name) ? builtins[name].defaultStart(objective.dim) : zeros(objective.dim) };
}
