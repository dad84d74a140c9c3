// The report of `npm run bench:bbob` (schema brox-bbob/1): what a run recorded, and the ECDF
// summary (COCO-style: for each method, the fraction of (function, instance, target) triples
// solved within a number of evaluations).
export const BBOB_SCHEMA = 'brox-bbob/1';

/**
 * Targets f - f_opt <= 10^e for e = 1, 0.8, ..., -8 (46 targets): COCO's runtime-ECDF target set
 * (10^2 ... 10^-8 in steps of 10^0.2, 51 targets) cut to the 1e1 ... 1e-8 range the issue asks for.
 */
export const TARGETS: readonly number[] = Object.freeze(Array.from({ length: 46 }, (_, k) => Number((10 ** (1 - 0.2 * k)).toPrecision(6))));

export interface BbobRun {
  /** brox method name, or scipy-<name> for a peer. */
  method: string;
  fid: number;
  instance: number;
  d: number;
  budget: number;
  /** Evaluations the run used. */
  nfev: number;
  /** f at the returned point, by brox's float64 JS twin (f_opt = 0, so this is the gap); null if the run threw. */
  fun: number | null;
  /**
   * hits[k]: evaluations after which the run's best was <= TARGETS[k], or null. A target counts only
   * when the float64 twin at the returned (best) point reaches it; the count is the first reported
   * step whose best reached it (a step's evaluations are counted whole).
   */
  hits: (number | null)[];
  status: string;
  ms: number;
  /** The message (with stack for brox) of a run that threw: recorded, counted as a failure. */
  error?: string;
}

export interface EcdfPoint {
  /** Evaluations / d. */
  evalsPerDim: number;
  /** Fraction of (function, instance, target) triples solved within evalsPerDim * d evaluations. */
  fraction: number;
}

export interface BbobReport {
  schema: typeof BBOB_SCHEMA;
  date: string;
  createdAt: string;
  tag: string;
  machine: Record<string, unknown>;
  settings: {
    dims: number[];
    functions: number[];
    instances: number[];
    methods: string[];
    /** Budget in evaluations per run, as a multiple of d. */
    budgetPerDim: number;
    targets: readonly number[];
    backend: string;
    quick: boolean;
    start: string;
  };
  peers: { scipy: { ran: boolean; why: string | null; version: string | null; methods: string[] } };
  runs: BbobRun[];
  summary: {
    /** Per dimension, per method: the ECDF on a log grid of evals/d, and counts. */
    byDim: Record<string, Record<string, { ecdf: EcdfPoint[]; solved1e8: number; pairs: number; errors: number }>>;
  };
}

/** Problems with a report (empty when it conforms): used by the CI test and by readers of old files. */
export function checkBbobReport(rep: BbobReport): string[] {
  const bad: string[] = [];
  if (rep.schema !== BBOB_SCHEMA) bad.push(`schema ${String(rep.schema)}`);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(rep.date)) bad.push(`date ${rep.date}`);
  const s = rep.settings;
  if (!s || !Array.isArray(s.dims) || !Array.isArray(s.functions) || !Array.isArray(s.instances) || !Array.isArray(s.methods)) return [...bad, 'settings'];
  if (JSON.stringify(s.targets) !== JSON.stringify(TARGETS)) bad.push('settings.targets');
  if (!(s.budgetPerDim >= 1)) bad.push('settings.budgetPerDim');
  const key = (m: string, d: number, f: number, i: number) => `${m}/${d}/${f}/${i}`;
  const seen = new Map<string, number>();
  rep.runs.forEach((r, k) => {
    const where = `runs[${k}] ${r.method} f${r.fid} i${r.instance} d=${r.d}`;
    seen.set(key(r.method, r.d, r.fid, r.instance), (seen.get(key(r.method, r.d, r.fid, r.instance)) ?? 0) + 1);
    if (!s.methods.includes(r.method)) bad.push(`${where}: method not in settings.methods`);
    if (r.budget !== s.budgetPerDim * r.d) bad.push(`${where}: budget ${r.budget}`);
    if (!(Number.isInteger(r.nfev) && r.nfev >= 0)) bad.push(`${where}: nfev ${r.nfev}`);
    if (r.fun !== null && !Number.isFinite(r.fun)) bad.push(`${where}: fun ${r.fun}`);
    if (!Array.isArray(r.hits) || r.hits.length !== TARGETS.length) bad.push(`${where}: hits length`);
    else {
      // a harder target is never hit before an easier one, and nothing is hit after the run's evaluations
      // (the peers' budgets are hard caps; brox's methods count a step's evaluations whole)
      for (let t = 0; t < r.hits.length; t++) {
        const h = r.hits[t];
        if (h === null) {
          if (t + 1 < r.hits.length && r.hits[t + 1] !== null) bad.push(`${where}: target ${t + 1} hit but ${t} not`);
          continue;
        }
        if (!(Number.isInteger(h) && h >= 1 && h <= r.nfev)) bad.push(`${where}: hits[${t}] = ${h} (nfev ${r.nfev})`);
        if (t > 0 && r.hits[t - 1] !== null && h < r.hits[t - 1]!) bad.push(`${where}: hits not monotone at ${t}`);
        if (r.fun === null || r.fun > TARGETS[t]) bad.push(`${where}: target ${TARGETS[t]} counted but f = ${r.fun}`);
      }
    }
    if (r.error !== undefined && (r.status !== 'error' || r.hits.some((h) => h !== null))) bad.push(`${where}: a run that threw must be status 'error' with no hits`);
  });
  // no lost runs: every (method, d, f, instance) exactly once
  for (const m of s.methods) for (const d of s.dims) for (const f of s.functions) for (const i of s.instances) if (seen.get(key(m, d, f, i)) !== 1) bad.push(`run ${key(m, d, f, i)} appears ${seen.get(key(m, d, f, i)) ?? 0} times`);
  for (const d of s.dims)
    for (const m of s.methods) {
      const e = rep.summary?.byDim?.[d]?.[m];
      if (!e) {
        bad.push(`summary.byDim[${d}][${m}] missing`);
        continue;
      }
      if (e.pairs !== s.functions.length * s.instances.length) bad.push(`summary.byDim[${d}][${m}].pairs ${e.pairs}`);
      for (let k = 1; k < e.ecdf.length; k++) if (e.ecdf[k].fraction < e.ecdf[k - 1].fraction) bad.push(`summary.byDim[${d}][${m}].ecdf not monotone`);
    }
  return bad;
}
