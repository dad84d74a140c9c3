// The JSON that `npm run bench:refine` writes (bench/results/refine-<date>-<backend>.json), schema
// 'brox-refine/1'. Changing a field's meaning or removing one bumps the version; adding optional
// fields does not. test/refine-bench.test.ts checks files against `checkRefineReport`.
//
// {
//   schema: 'brox-refine/1',
//   date: 'YYYY-MM-DD', createdAt: ISO time,
//   machine: { cpu: 'model xN', cores: N, platform, node, backend: 'cpu'|'webgpu',
//              adapter: string|null, threads: N },
//   settings: { functions: ['linear'|'quadratic'|'diagquad'], dims[], seeds: N (instances per
//               function and d: centre, direction of g / c, and the oracle's seed), samples: N
//               (per round), rounds: [R...], shrinks: [s...], t: 1, ball: 'l2',
//               diagCondition: 100, centreDistance: 2 (||c - x|| / t of the quadratics) },
//   runs: [ { fn, d, seed,
//             setting: 'one-round' | 'refine',
//             rounds (1 for one-round), shrink (null for one-round),
//             samplesPerRound, totalSamples (rounds * samplesPerRound; one-round runs use
//             totalSamples = R * samples for every R of settings.rounds),
//             dist (||y - y*||, y = the returned point, y* = the true ball minimiser),
//             gap (f(y) - f(y*), float64 twin), gapRel (gap / (f(x) - f(y*))),
//             radius (||y - x|| / t: <= 1 up to rounding), winnerRound (round of the winning
//             sample, 0 when the centre won), improved (a sample beat the centre), ms } ],
//   summary: [ { fn, d, setting, rounds, shrink, totalSamples, n, medianDist, medianGap,
//                medianGapRel, maxRadius, minGap } ],
//   elapsedMs
// }

export const REFINE_SCHEMA = 'brox-refine/1';

export interface RefineRun {
  fn: string;
  d: number;
  seed: number;
  setting: 'one-round' | 'refine';
  rounds: number;
  shrink: number | null;
  samplesPerRound: number;
  totalSamples: number;
  dist: number;
  gap: number;
  gapRel: number;
  radius: number;
  winnerRound: number;
  improved: boolean;
  ms: number;
}

export interface RefineSummaryRow {
  fn: string;
  d: number;
  setting: 'one-round' | 'refine';
  rounds: number;
  shrink: number | null;
  totalSamples: number;
  n: number;
  medianDist: number;
  medianGap: number;
  medianGapRel: number;
  maxRadius: number;
  minGap: number;
}

export interface RefineReport {
  schema: typeof REFINE_SCHEMA;
  date: string;
  createdAt: string;
  machine: { cpu: string; cores: number; platform: string; node: string; backend: 'cpu' | 'webgpu'; adapter: string | null; threads: number };
  settings: { functions: string[]; dims: number[]; seeds: number; samples: number; rounds: number[]; shrinks: number[]; t: number; ball: 'l2'; diagCondition: number; centreDistance: number };
  runs: RefineRun[];
  summary: RefineSummaryRow[];
  elapsedMs: number;
}

const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const isInt = (v: unknown): v is number => Number.isInteger(v);

/** Problems with a report, in words ([] when it conforms). */
export function checkRefineReport(r: unknown): string[] {
  const errs: string[] = [];
  const o = r as RefineReport;
  if (!o || typeof o !== 'object') return ['not an object'];
  if (o.schema !== REFINE_SCHEMA) errs.push(`schema is ${JSON.stringify(o.schema)}`);
  if (!/^\d{4}-\d\d-\d\d$/.test(o.date)) errs.push('date');
  if (typeof o.createdAt !== 'string' || Number.isNaN(Date.parse(o.createdAt))) errs.push('createdAt');
  const m = o.machine;
  if (!m || typeof m.cpu !== 'string' || !isInt(m.cores) || typeof m.platform !== 'string' || typeof m.node !== 'string' || !['cpu', 'webgpu'].includes(m.backend) || !(m.adapter === null || typeof m.adapter === 'string') || !isInt(m.threads)) errs.push('machine');
  const s = o.settings;
  if (!s || !Array.isArray(s.functions) || !Array.isArray(s.dims) || !s.dims.every(isInt) || !isInt(s.seeds) || !isInt(s.samples) || !Array.isArray(s.rounds) || !s.rounds.every(isInt) || !Array.isArray(s.shrinks) || !s.shrinks.every(isNum) || !isNum(s.t) || s.ball !== 'l2' || !isNum(s.diagCondition) || !isNum(s.centreDistance)) {
    errs.push('settings');
    return errs;
  }
  if (!Array.isArray(o.runs)) return [...errs, 'runs'];
  const perInstance = s.rounds.length * (1 + s.shrinks.length);
  const want = s.functions.length * s.dims.length * s.seeds * perInstance;
  if (o.runs.length !== want) errs.push(`runs: ${o.runs.length}, want ${want}`);
  o.runs.forEach((u, i) => {
    const bad = (what: string) => errs.push(`runs[${i}].${what}`);
    if (!s.functions.includes(u.fn)) bad('fn');
    if (!s.dims.includes(u.d)) bad('d');
    if (!isInt(u.seed) || u.seed < 0 || u.seed >= s.seeds) bad('seed');
    if (u.setting === 'one-round') {
      if (u.rounds !== 1 || u.shrink !== null || u.samplesPerRound !== u.totalSamples || !s.rounds.some((R) => R * s.samples === u.totalSamples)) bad('one-round settings');
    } else if (u.setting === 'refine') {
      if (!s.rounds.includes(u.rounds) || !s.shrinks.includes(u.shrink as number) || u.samplesPerRound !== s.samples || u.totalSamples !== u.rounds * s.samples) bad('refine settings');
    } else bad('setting');
    for (const k of ['dist', 'gap', 'gapRel', 'radius', 'ms'] as const) if (!isNum(u[k])) bad(k);
    if (!isInt(u.winnerRound) || u.winnerRound < 0 || u.winnerRound >= u.rounds) bad('winnerRound');
    if (typeof u.improved !== 'boolean') bad('improved');
  });
  if (!Array.isArray(o.summary)) errs.push('summary');
  else {
    const rows = s.functions.length * s.dims.length * perInstance;
    if (o.summary.length !== rows) errs.push(`summary: ${o.summary.length} rows, want ${rows}`);
    o.summary.forEach((u, i) => {
      if (!isInt(u.n) || u.n !== s.seeds) errs.push(`summary[${i}].n`);
      for (const k of ['medianDist', 'medianGap', 'medianGapRel', 'maxRadius', 'minGap'] as const) if (!isNum(u[k])) errs.push(`summary[${i}].${k}`);
    });
  }
  if (!isNum(o.elapsedMs)) errs.push('elapsedMs');
  return errs;
}
