import { annealed } from './annealed.js';
import { bpmMethod } from './bpm.js';
import { cem } from './cem.js';
import { cmaEs } from './cma-es.js';
import { portfolio } from './portfolio.js';
import { randomSearch } from './random.js';
import type { Method } from './types.js';

/** Every method of minimize(), by name. A new method: one file in src/methods/ and one line here. */
export const methods: Readonly<Record<string, Method<any, any>>> = Object.freeze({
  bpm: bpmMethod,
  'cma-es': cmaEs,
  cem,
  annealed,
  random: randomSearch,
  portfolio,
});

export const methodNames = (): string[] => Object.keys(methods);

/**
 * minimize()'s method when none is given (also `brox run`, `brox serve`, the Python client): the
 * most reliable configuration measured on bench:bbob and bench:quality (README, "Default method").
 */
export const DEFAULT_METHOD = 'portfolio';
