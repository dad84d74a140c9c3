// The markdown next to a claims report: one short table per claim, with the verdict in words.
import { transitionT } from './experiments';
import type { ClaimsReport } from './schema';

/** 3 significant digits, exponent form below 1e-3. */
export const fmt = (v: number): string => {
  if (!Number.isFinite(v)) return String(v);
  if (v === 0) return '0';
  const a = Math.abs(v);
  return a < 1e-3 || a >= 1e5 ? v.toExponential(2) : v.toPrecision(3);
};
export const pow2 = (n: number): string => (Number.isInteger(Math.log2(n)) ? `2^${Math.log2(n)}` : String(n));

export function markdown(rep: ClaimsReport): string {
  const m = rep.machine;
  const L: string[] = [];
  L.push('# brox: the papers\' claims, measured');
  L.push('');
  L.push(`${rep.date}, ${m.cpu}, ${m.backend} backend, ${m.threads} thread(s), node ${m.node}; ${(rep.elapsedMs / 1e3).toFixed(0)} s in all.`);
  L.push('BPM here is the direct form `bpm()` with a constant radius t (the papers\' setting), l2 ball, no bounds: the exact ball minimiser is replaced by the best of N uniform samples of the ball (the centre always a candidate).');
  L.push('');

  const om = rep.overMinima;
  const os = om.settings;
  L.push('## 1. Stepping over local minima once t exceeds their spacing');
  L.push('');
  L.push(`N = ${pow2(os.samples)} samples per step, at most ${os.maxIter} steps, ${os.seeds} seeds per t. basin = the run ended in the global minimiser's basin (every |x_i| < 0.5): it stepped over every local minimum on its way, the claim. solved = f - f* <= ${os.gapTol} as well (inside the basin the constant-radius sampled oracle stalls at a resolution of about t N^(-1/d), so f - f* grows with t).`);
  for (const c of om.cases) {
    const tr = transitionT(om.summary, c.id);
    L.push('');
    L.push(`**${c.objective}, d = ${c.dim}, from (${c.x0.join(', ')})** (local minima ${c.spacing} apart)${tr !== null ? `: every t >= ${tr} ends in the global basin in >= 90% of the runs` : ': no t of the sweep ends in the global basin in >= 90% of the runs'}.`);
    L.push('');
    L.push('| t | basin | solved | median f - f* | median steps | statuses |');
    L.push('|---:|---:|---:|---:|---:|---|');
    for (const r of om.summary.filter((u) => u.caseId === c.id)) {
      L.push(`| ${r.t} | ${r.basin}/${r.runs} | ${r.solved}/${r.runs} | ${fmt(r.medianGap)} | ${r.medianSteps} | ${Object.entries(r.statuses).map(([k, v]) => `${k} ${v}`).join(', ')} |`);
    }
  }
  L.push('');

  const di = rep.distance;
  L.push('## 2. Distances to the minimiser set do not increase (aligned functions)');
  L.push('');
  L.push(`N = ${pow2(di.settings.samples)} samples per step, at most ${di.settings.maxIter} steps, ${di.settings.seeds} seeds. dist = min over X* of ||x_k - x*||. ` +
    'The convex-case bound ||x_{k+1} - x*||^2 <= ||x_k - x*||^2 - t^2 is checked at every step whose ball holds no minimiser (dist_k > t); "miss" is by how much it fails, in units of t^2 (the sampled step lands inside the ball, not on its boundary).');
  L.push('');
  L.push('| function | d | t | claim | dist increases (no minimiser in ball) | t^2 bound held | worst miss (t^2) | median step / t |');
  L.push('|---|---:|---:|---|---:|---:|---:|---:|');
  for (const c of di.cases) {
    const r = di.summary.find((u) => u.caseId === c.id)!;
    const runs = di.runs.filter((u) => u.caseId === c.id);
    const ratios = runs.map((u) => u.medianStepRatio).filter((v): v is number => v !== null).sort((a, b) => a - b);
    const claim = c.convex ? 'aligned, convex' : c.aligned ? 'aligned' : 'none (contrast)';
    L.push(`| ${c.expr ? `quadratic \`${c.expr}\`` : c.objective} | ${c.dim} | ${c.t} | ${claim} | ${r.increases} (${r.increasesFar}) | ${r.held}/${r.checks} | ${fmt(r.worstMiss)} | ${ratios.length ? fmt(ratios[ratios.length >> 1]) : '–'} |`);
  }
  L.push('');

  const sa = rep.fixedPoint.samples;
  const ss = sa.settings;
  L.push('## 3. Where the sampled fixed point is not optimal, and why');
  L.push('');
  L.push(`**(a) Too few samples for d.** Sphere, constant t = ${ss.t}, from ||x0|| = ${ss.startDist}, at most ${ss.maxIter} steps, ${ss.seeds} seeds. ` +
    `"certificate" = fraction of ${pow2(ss.certSamples)} fresh samples of the ball at the final point that beat it (oracle.moments, temperature 0): > 0 means the stop was an artefact of too few samples (the only fixed point of the exact oracle is x* = 0).`);
  L.push('');
  L.push(`| d | ${ss.sampleSizes.map((n) => `N = ${pow2(n)}: f - f*`).join(' | ')} | ${ss.sampleSizes.map((n) => `certificate @ ${pow2(n)}`).join(' | ')} |`);
  L.push(`|---:|${ss.sampleSizes.map(() => '---:').join('|')}|${ss.sampleSizes.map(() => '---:').join('|')}|`);
  for (const d of ss.dims) {
    const rows = ss.sampleSizes.map((n) => sa.summary.find((u) => u.d === d && u.samples === n)!);
    L.push(`| ${d} | ${rows.map((r) => fmt(r.medianGap)).join(' | ')} | ${rows.map((r) => `${fmt(r.medianFraction)} (${r.artefacts}/${r.runs} > 0)`).join(' | ')} |`);
  }
  L.push('');
  const ra = rep.fixedPoint.radius;
  const rs = ra.settings;
  L.push(`**(b) t too small.** wavy-bowl d = 1 from ${rs.x0[0]} with t = ${rs.t}, N = ${pow2(rs.samples)}: stops (${ra.stop.status}, ${ra.stop.steps} steps) at x = ${ra.stop.x[0].toFixed(4)}, f = ${fmt(ra.stop.fun)}: the local minimum x = ${ra.stop.localMin.x[0].toFixed(4)}, f = ${fmt(ra.stop.localMin.fun)} to sampling resolution (f* = 0). ` +
    `Around that point, with ${pow2(rs.certSamples)} certificate samples, and BPM continued from it with each radius:`);
  L.push('');
  L.push('| radius | fraction below centre | best sample f (improvement) | BPM from the stop point: f (status, steps) |');
  L.push('|---:|---:|---:|---|');
  for (const p of ra.probes) L.push(`| ${p.t} | ${fmt(p.fraction)} | ${fmt(p.bestFun)} (${fmt(p.improvement)}) | ${fmt(p.continued.fun)} at x = ${p.continued.x[0].toFixed(3)} (${p.continued.status}, ${p.continued.steps}) |`);
  L.push('');
  return L.join('\n');
}
