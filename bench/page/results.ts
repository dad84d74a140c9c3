// The document a suite run leaves in window.__broxResults; the headless runner validates it.
import { type AdapterSummary } from '../../src/internal';

export const RESULTS_SCHEMA = 'brox-results/1';

export interface CaseResult {
  objective: string;
  dim: number;
  samples: number;
  radius: number;
  backend: 'webgpu' | 'cpu';
  iterations: number;
  status: string;
  fun: number;
  /** f - f*, or null when f* is unknown. */
  finalGap: number | null;
  samplesPerSec: number;
  coordEvalsPerSec: number;
  msPerStep: number;
  totalMs: number;
}

export interface SuiteResults {
  schema: typeof RESULTS_SCHEMA;
  suite: string;
  date: string;
  userAgent: string;
  adapter: AdapterSummary | null;
  /** Why the suite ran on the CPU, when it did. */
  fallback: string | null;
  /** The backend the suite was asked to run on (?backend=; absent in results from before it existed). */
  requestedBackend?: 'webgpu' | 'cpu' | 'auto';
  /** requestDevice attempts it took to open WebGPU: 1, or 2 after a failed first one; 0 without an adapter. */
  deviceAttempts?: number;
  /** The case the page shows after the suite (landscape, path and charts all of it). */
  shownCase?: string;
  /** Each case records the backend that actually ran it. */
  cases: CaseResult[];
}

/** Returns a list of problems; empty when `doc` is a valid SuiteResults. */
export function validateResults(doc: unknown): string[] {
  const errs: string[] = [];
  const d = doc as SuiteResults;
  if (!d || typeof d !== 'object') return ['not an object'];
  if (d.schema !== RESULTS_SCHEMA) errs.push(`schema must be ${RESULTS_SCHEMA}`);
  for (const k of ['suite', 'date', 'userAgent'] as const) if (typeof d[k] !== 'string') errs.push(`${k} must be a string`);
  if (d.adapter !== null && (typeof d.adapter !== 'object' || typeof d.adapter.software !== 'boolean')) errs.push('adapter must be null or an adapter summary');
  if (d.requestedBackend !== undefined && !['webgpu', 'cpu', 'auto'].includes(d.requestedBackend)) errs.push('requestedBackend must be webgpu, cpu or auto');
  if (!Array.isArray(d.cases) || d.cases.length === 0) return [...errs, 'cases must be a non-empty array'];
  d.cases.forEach((c, i) => {
    const num = ['dim', 'samples', 'radius', 'iterations', 'fun', 'samplesPerSec', 'coordEvalsPerSec', 'msPerStep', 'totalMs'] as const;
    for (const k of num) if (typeof c[k] !== 'number' || Number.isNaN(c[k])) errs.push(`cases[${i}].${k} must be a number`);
    if (typeof c.objective !== 'string') errs.push(`cases[${i}].objective must be a string`);
    if (c.backend !== 'webgpu' && c.backend !== 'cpu') errs.push(`cases[${i}].backend must be webgpu or cpu`);
    if (c.finalGap !== null && typeof c.finalGap !== 'number') errs.push(`cases[${i}].finalGap must be a number or null`);
    if (typeof c.status !== 'string') errs.push(`cases[${i}].status must be a string`);
  });
  return errs;
}

/**
 * The cases that ran on a backend other than `requested` ('webgpu' or 'cpu'), named
 * "objective d=<dim> n=<samples> ran on <backend>"; empty when every case ran where it was asked to.
 */
export function backendMismatches(doc: SuiteResults, requested: 'webgpu' | 'cpu'): string[] {
  return doc.cases.filter((c) => c.backend !== requested).map((c) => `${c.objective} d=${c.dim} n=${c.samples} ran on ${c.backend}`);
}
