import type { MethodContext, ResidentBatch } from './types.js';

/**
 * A resident batch's best point, re-evaluated in float64 (its float32 value only ranked it), kept
 * when it beats the method's best. The generations inside a batch are not re-checked: their
 * reports carry the best known after the batch. Returns the float64 value.
 */
export function recheckBest(ctx: MethodContext, st: { bestX: Float64Array; bestF: number }, batch: ResidentBatch<unknown>): number {
  if (!(batch.best.f32 < Infinity)) return Infinity;
  const fb = ctx.objective.js(batch.best.x);
  if (fb < st.bestF) ((st.bestF = fb), (st.bestX = Float64Array.from(batch.best.x)));
  return fb;
}
