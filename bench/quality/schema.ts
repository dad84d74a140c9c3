// The JSON that `npm run bench:quality` writes (bench/results/quality-<date>-<tag>.json), schema
// 'brox-quality/1'. Changing a field's meaning or removing one bumps the version; adding optional
// fields does not. test/quality-bench.test.ts checks files against `checkQualityReport`.
//
// {
//   schema: 'brox-quality/1',
//   date: 'YYYY-MM-DD', createdAt: ISO time, tag: string,
//   machine: { cpu: 'model xN', cores: N, platform, node, backend: 'cpu'|'webgpu', adapter: string|null, threads: N },
//   settings: { functions[], dims[], seeds: N, budgets[], methods[], backend, quick: bool,
//               successRule: text, variants: ['base', 'sr'],
//               runsPerCall?: N (the seeds of a cell run in one call, runs: N, wall time shared equally;
//                            1 = one call per seed; absent in reports from before it),
//               population?: { methods[], factors[], arms: [ { method, factor, d, samples (λ),
//                              label (the runs' method, e.g. 'cma-es@4x'), why (string|null: not run) } ] }
//                            (--population only: λ = factor × the method's default) },
//   peers: { scipy: { ran: bool, why: string|null, version: string|null, methods: string[] } },
//   cases: [ { id, function, variant: 'base'|'sr', d, name (objective name, e.g. 'rastrigin@sr3' per
//              seed for 'sr': the first seed's), fStar, tol, bounds: [lo, hi],
//              transform: null | { outside: 'free'|'clamp', note } } ],
//   skipped: [ { function, variant, d, why } ],       // combinations not run (no known f*, dims)
//   runs: [ { caseId, method, budget, seed, objective (name incl. @sr<seed>),
//             fun (float64 f at the returned x), gap (fun - fStar), success (gap <= tol and x in
//             the bounds), inBounds, nfev (evaluations used), evalsToSuccess (first evaluation
//             count at which the method's best was within tol, null when never), nit, status,
//             ms (wall time of the run), error (string, only when the run threw) } ],
//   summary: [ { caseId, function, variant, d, method, budget, runs, successes, successRate,
//                medianEvalsToSuccess (over successful runs, null if none), medianGap, medianMs } ]
// }
// Peer methods appear in runs/summary as 'scipy-dual_annealing' and 'scipy-differential_evolution'.

export const QUALITY_SCHEMA = 'brox-quality/1';

export type Variant = 'base' | 'sr';

export interface QualityCase {
  id: string;
  function: string;
  variant: Variant;
  d: number;
  name: string;
  fStar: number;
  tol: number;
  bounds: [number, number];
  transform: null | { outside: 'free' | 'clamp'; note: string };
}

export interface QualityRun {
  caseId: string;
  method: string;
  budget: number;
  seed: number;
  objective: string;
  fun: number | null;
  gap: number | null;
  success: boolean;
  inBounds: boolean;
  nfev: number;
  evalsToSuccess: number | null;
  nit: number | null;
  status: string;
  ms: number;
  error?: string;
}

export interface QualitySummaryRow {
  caseId: string;
  function: string;
  variant: Variant;
  d: number;
  method: string;
  budget: number;
  runs: number;
  successes: number;
  successRate: number;
  medianEvalsToSuccess: number | null;
  medianGap: number | null;
  medianMs: number;
}

export interface QualityReport {
  schema: typeof QUALITY_SCHEMA;
  date: string;
  createdAt: string;
  tag: string;
  machine: { cpu: string; cores: number; platform: string; node: string; backend: string; adapter: string | null; threads: number };
  settings: {
    functions: string[];
    dims: number[];
    seeds: number;
    budgets: number[];
    methods: string[];
    backend: string;
    quick: boolean;
    successRule: string;
    variants: Variant[];
    runsPerCall?: number;
    population?: { methods: string[]; factors: number[]; arms: { method: string; factor: number; d: number; samples: number; label: string; why: string | null }[] };
  };
  peers: { scipy: { ran: boolean; why: string | null; version: string | null; methods: string[] } };
  cases: QualityCase[];
  skipped: { function: string; variant: Variant; d: number; why: string }[];
  runs: QualityRun[];
  summary: QualitySummaryRow[];
}

type Check = (v: unknown) => boolean;
const isNum: Check = (v) => typeof v === 'number' && Number.isFinite(v);
const isNumOrNull: Check = (v) => v === null || isNum(v);
const isStr: Check = (v) => typeof v === 'string';
const isBool: Check = (v) => typeof v === 'boolean';
const arrOf = (c: Check): Check => (v) => Array.isArray(v) && v.every(c);

function fields(where: string, obj: unknown, spec: Record<string, Check>, errors: string[]): void {
  if (!obj || typeof obj !== 'object') {
    errors.push(`${where}: not an object`);
    return;
  }
  for (const [k, c] of Object.entries(spec)) {
    if (!c((obj as Record<string, unknown>)[k])) errors.push(`${where}.${k}: bad value ${JSON.stringify((obj as Record<string, unknown>)[k])}`);
  }
}

/** Schema errors of a parsed report ([] when it conforms). Checks shapes, not success numbers. */
export function checkQualityReport(r: unknown): string[] {
  const e: string[] = [];
  if (!r || typeof r !== 'object') return ['report: not an object'];
  const o = r as QualityReport;
  if (o.schema !== QUALITY_SCHEMA) e.push(`schema: expected ${QUALITY_SCHEMA}, got ${JSON.stringify(o.schema)}`);
  fields('report', o, { date: (v) => isStr(v) && /^\d{4}-\d{2}-\d{2}$/.test(v as string), createdAt: isStr, tag: isStr }, e);
  fields('machine', o.machine, { cpu: isStr, cores: isNum, platform: isStr, node: isStr, backend: isStr, adapter: (v) => v === null || isStr(v), threads: isNum }, e);
  fields('settings', o.settings, {
    functions: arrOf(isStr),
    dims: arrOf(isNum),
    seeds: isNum,
    budgets: arrOf(isNum),
    methods: arrOf(isStr),
    backend: isStr,
    quick: isBool,
    successRule: isStr,
    variants: arrOf((v) => v === 'base' || v === 'sr'),
    runsPerCall: (v) => v === undefined || (isNum(v) && (v as number) >= 1),
    population: (v) =>
      v === undefined ||
      (typeof v === 'object' && v !== null && arrOf(isStr)((v as { methods: unknown }).methods) && arrOf(isNum)((v as { factors: unknown }).factors) &&
        arrOf((a) => !!a && typeof a === 'object' && isStr((a as { label: unknown }).label) && isNum((a as { samples: unknown }).samples) && isNum((a as { d: unknown }).d))((v as { arms: unknown }).arms)),
  }, e);
  fields('peers.scipy', o.peers?.scipy, { ran: isBool, why: (v) => v === null || isStr(v), version: (v) => v === null || isStr(v), methods: arrOf(isStr) }, e);
  if (!Array.isArray(o.cases)) e.push('cases: not an array');
  if (!Array.isArray(o.skipped)) e.push('skipped: not an array');
  if (!Array.isArray(o.runs)) e.push('runs: not an array');
  if (!Array.isArray(o.summary)) e.push('summary: not an array');
  if (e.length) return e;
  const ids = new Set<string>();
  o.cases.forEach((c, i) => {
    fields(`cases[${i}]`, c, {
      id: isStr,
      function: isStr,
      variant: (v) => v === 'base' || v === 'sr',
      d: isNum,
      name: isStr,
      fStar: isNum,
      tol: (v) => isNum(v) && (v as number) > 0,
      bounds: (v) => Array.isArray(v) && v.length === 2 && isNum(v[0]) && isNum(v[1]) && v[0] < v[1],
      transform: (v) => v === null || (typeof v === 'object' && ((v as { outside: string }).outside === 'free' || (v as { outside: string }).outside === 'clamp')),
    }, e);
    ids.add(c.id);
  });
  o.skipped.forEach((s, i) => fields(`skipped[${i}]`, s, { function: isStr, variant: isStr, d: isNum, why: isStr }, e));
  o.runs.forEach((run, i) => {
    fields(`runs[${i}]`, run, {
      caseId: (v) => isStr(v) && ids.has(v as string),
      method: isStr,
      budget: isNum,
      seed: isNum,
      objective: isStr,
      fun: isNumOrNull,
      gap: isNumOrNull,
      success: isBool,
      inBounds: isBool,
      nfev: isNum,
      evalsToSuccess: isNumOrNull,
      nit: isNumOrNull,
      status: isStr,
      ms: isNum,
      error: (v) => v === undefined || isStr(v),
    }, e);
  });
  o.summary.forEach((s, i) => {
    fields(`summary[${i}]`, s, {
      caseId: (v) => isStr(v) && ids.has(v as string),
      function: isStr,
      variant: isStr,
      d: isNum,
      method: isStr,
      budget: isNum,
      runs: isNum,
      successes: isNum,
      successRate: (v) => isNum(v) && (v as number) >= 0 && (v as number) <= 1,
      medianEvalsToSuccess: isNumOrNull,
      medianGap: isNumOrNull,
      medianMs: isNum,
    }, e);
  });
  return e.slice(0, 50);
}
