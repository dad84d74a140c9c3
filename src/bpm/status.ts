/** Why BPM stopped. One table, as scipy.optimize does. */
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
