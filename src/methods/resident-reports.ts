import type { MethodContext, ResidentBatch, StepReport } from './types.js';

/**
 * A resident batch's best point, re-evaluated in float64 (its float32 value only ranked it), kept
 * when it beats the method's best. The generations inside a batch are not re-checked (creditBest
 * places the new best at the generation that drew it). Returns the float64 value.
 */
export function recheckBest(ctx: MethodContext, st: { bestX: Float64Array; bestF: number }, batch: ResidentBatch<unknown>): number {
  if (!(batch.best.f32 < Infinity)) return Infinity;
  const fb = ctx.objective.js(batch.best.x);
  if (fb < st.bestF) ((st.bestF = fb), (st.bestX = Float64Array.from(batch.best.x)));
  return fb;
}

/**
 * The best-so-far of a batch's reports: the generations before the one that drew the batch's new
 * best (the first whose float32 best reaches the session's, `f32`) report the best known before the
 * batch (`prev`), that one and the later ones the new best (`now`, float64-checked) — so a history,
 * a callback or a benchmark's evaluations-to-target see the improvement where it was found, not at
 * the batch's first or last generation. Improvements earlier in the batch that a later generation
 * beat are not seen (their points stay on the GPU).
 */
export function creditBest(reports: StepReport[], gens: ReadonlyArray<{ best: number }>, f32: number, prev: { x: Float64Array; fun: number }, now: { bestX: Float64Array; bestF: number }): void {
  let at = reports.length;
  if (now.bestF < prev.fun) {
    at = gens.findIndex((g) => g.best <= f32);
    if (at < 0 || at >= reports.length) at = reports.length - 1;
  }
  reports.forEach((r, j) => Object.assign(r, j < at ? { x: prev.x, fun: prev.fun, improved: false } : { x: now.bestX, fun: now.bestF, improved: j === at }));
}
