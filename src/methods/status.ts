/** Why a run stopped (BPM's statuses, shared by minimize()). One table, as scipy.optimize does. */
export type BpmStatus = 'fixed-point' | 'target-reached' | 'ftol' | 'max-iter' | 'max-evals' | 'callback-stop';

export const STATUS: Record<BpmStatus, { success: boolean; message: string }> = {
  'fixed-point': {
    success: true,
    message:
      'no sample beat the centre: a fixed point of the sampled oracle (the optimum when f is broximally aligned and the samples resolve the ball; not a proof of global optimality)',
  },
  'target-reached': { success: true, message: 'f reached fTarget' },
  ftol: { success: true, message: 'relative decrease of f fell below ftol' },
  'max-iter': { success: false, message: 'maximum number of iterations reached' },
  'max-evals': { success: false, message: 'evaluation budget (maxEvals) exhausted' },
  'callback-stop': { success: false, message: 'stopped by the callback' },
};

/** One iteration (step or generation) of a run, as history and callbacks report it. */
export interface BpmHistoryEntry {
  /** Iteration number (1-based: entry k describes x_k). */
  k: number;
  x: number[];
  fun: number;
  /** ||x_k - x_{k-1}||; 0 when the oracle returned the centre. */
  step: number;
  radius: number;
  /** Objective evaluations of this iteration. */
  nfev: number;
  /** Wall time of this iteration's oracle call, ms. */
  ms: number;
  improved: boolean;
  /** Index of the winning sample of this step's oracle call; -1 when the centre stayed. */
  index: number;
}
