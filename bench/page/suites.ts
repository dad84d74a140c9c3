// Predefined benchmark suites for ?suite=<name>: objectives x dimensions x sample counts.
export interface SuiteCase {
  objective: string;
  dim: number;
  samples: number;
  radius: number;
  maxIter: number;
  /** Start point: the objective's documented default start when absent. */
  x0?: number[];
  /** Stop once f - f* <= this (when f* is known). */
  gapTarget?: number;
}

const grid = (objectives: string[], dims: number[], samples: number[], radius: number, maxIter: number): SuiteCase[] =>
  objectives.flatMap((objective) => dims.flatMap((dim) => samples.map((s) => ({ objective, dim, samples: s, radius, maxIter }))));

export const SUITES: Record<string, { description: string; cases: SuiteCase[] }> = {
  tiny: {
    description: 'CI smoke run (fits SwiftShader): BPM on rastrigin d=2 from (4, 4) and sphere d=10',
    cases: [
      { objective: 'rastrigin', dim: 2, samples: 1 << 20, radius: 1.5, maxIter: 30, x0: [4, 4], gapTarget: 1e-3 },
      { objective: 'sphere', dim: 10, samples: 1 << 12, radius: 1, maxIter: 10 },
    ],
  },
  standard: {
    description: 'objectives x {2, 10} dimensions x {2^16, 2^20} samples, 30 BPM steps',
    cases: grid(['rastrigin', 'ackley', 'levy', 'styblinski-tang'], [2, 10], [1 << 16, 1 << 20], 1.5, 30),
  },
  gpu: {
    description: 'for hardware GPUs: d in {2, 10, 100}, 2^20 and 2^24 samples per step',
    cases: grid(['rastrigin', 'ackley'], [2, 10, 100], [1 << 20, 1 << 24], 1.5, 50),
  },
};
