// `bench:quality --population`: solution quality against the population size λ of the population
// methods (issue 16 item 5). Hansen & Kern 2004 and IPOP-CMA-ES (Auger & Hansen 2005) found that a
// larger λ raises CMA-ES's success on multimodal functions (rastrigin, griewank, schwefel) at a
// cost in evaluations; this measures the same trade on brox's methods, λ = factor × the method's
// default (minimize's `samples`), at one fixed budget, so that the default can be judged.
import { methods, prepareRun } from '../../src/internal';
import { startPoint, type CaseSpec } from './cases';
import { median } from './report';
import type { QualityReport } from './schema';

export const POPULATION_METHODS = ['cma-es', 'cem'];
export const POPULATION_FUNCTIONS = ['rastrigin', 'griewank', 'schwefel'];
export const POPULATION_FACTORS = [1, 2, 4, 16, 64, 256];

/** One population size of one method at one d: the label its runs carry, or why it cannot run. */
export interface Arm {
  method: string;
  factor: number;
  d: number;
  samples: number;
  label: string;
  why: string | null;
}

/** The label of a (method, factor) column: `cma-es@4x` (the same at every d; λ itself is per d). */
export const armLabel = (method: string, factor: number) => `${method}@${factor}x`;

/** The method's default λ at d in these bounds (cma-es: popsize, 4 + floor(3 ln d); cem: samples). */
export function defaultLambda(method: string, d: number, lo: number, hi: number): number {
  const p = methods[method].defaults(d, { lo: new Float64Array(d).fill(lo), hi: new Float64Array(d).fill(hi) }) as { popsize?: number; samples?: number };
  const l = p.popsize ?? p.samples;
  if (typeof l !== 'number') throw new Error(`${method} has no population size (popsize or samples)`);
  return l;
}

/** Every (method, factor, d) of the sweep; `why` when minimize() rejects that λ (e.g. cem's elite cap). */
export function buildArms(methodList: string[], factors: number[], cases: CaseSpec[]): Arm[] {
  const arms: Arm[] = [];
  const dims = [...new Set(cases.map((c) => c.d))];
  for (const method of methodList) {
    for (const d of dims) {
      const c = cases.find((k) => k.d === d)!;
      const [lo, hi] = c.bounds;
      const l0 = defaultLambda(method, d, lo, hi);
      for (const factor of factors) {
        const samples = Math.max(2, Math.round(factor * l0));
        let why: string | null = null;
        try {
          prepareRun(c.objective(0), startPoint(0, d, lo, hi), { method: method as never, samples, bounds: [lo, hi], maxEvals: 2 ** 20 });
        } catch (e) {
          why = (e as Error).message;
        }
        arms.push({ method, factor, d, samples, label: armLabel(method, factor), why });
      }
    }
  }
  return arms;
}

const sci = (v: number | null): string => (v === null ? '–' : v >= 1e4 ? v.toExponential(2).replace('e+', 'e') : String(Math.round(v)));

/** The λ tables: per method, a row per case and an "all" row; cell = solved/runs · median evaluations to success. */
export function populationMarkdown(rep: QualityReport): string {
  const pop = rep.settings.population;
  if (!pop) return '';
  const out: string[] = [];
  const m = rep.machine;
  out.push(`## Success against population size λ — ${rep.date}`);
  out.push('');
  out.push(
    `Machine: ${m.cpu}, Node ${m.node}; backend ${m.backend}, ${m.threads} CPU thread(s). λ = factor × the method's default (minimize's \`samples\`; ` +
      `cma-es: popsize, its restarts grow it from there; cem: samples per generation). Budget ${rep.settings.budgets.join(', ')} evaluations per run, ` +
      `${rep.settings.seeds} seeds per cell (random start uniform in the box, and for sr a different rotation and shift per seed); ` +
      `success: ${rep.settings.successRule}. Cell: solved/runs · median evaluations to success (over the solved runs).`,
  );
  out.push('');
  const cell = new Map(rep.summary.map((s) => [`${s.caseId}\u0000${s.method}\u0000${s.budget}`, s]));
  for (const method of pop.methods) {
    for (const d of rep.settings.dims) {
      const arms = pop.arms.filter((a) => a.method === method && a.d === d);
      if (!arms.length) continue;
      for (const b of rep.settings.budgets) {
        out.push(`### ${method}, d = ${d}, budget ${b}`);
        out.push('');
        out.push(`| case | ${arms.map((a) => `λ = ${a.samples} (${a.factor}×)`).join(' | ')} |`);
        out.push(`|---|${arms.map(() => ':---:').join('|')}|`);
        const cases = rep.cases.filter((c) => c.d === d);
        for (const c of cases) {
          const cells = arms.map((a) => {
            if (a.why) return 'not run';
            const s = cell.get(`${c.id}\u0000${a.label}\u0000${b}`);
            return s ? `${s.successes}/${s.runs} · ${sci(s.medianEvalsToSuccess)}` : '–';
          });
          out.push(`| ${c.function} ${c.variant} | ${cells.join(' | ')} |`);
        }
        const all = arms.map((a) => {
          if (a.why) return 'not run';
          const runs = rep.runs.filter((r) => r.method === a.label && r.budget === b && cases.some((c) => c.id === r.caseId));
          const ok = runs.filter((r) => r.success);
          return `**${ok.length}/${runs.length}** · ${sci(median(ok.map((r) => r.evalsToSuccess ?? r.nfev)))}`;
        });
        out.push(`| all | ${all.join(' | ')} |`);
        const ms = arms.map((a) => (a.why ? '–' : sci(median(rep.runs.filter((r) => r.method === a.label && r.budget === b).map((r) => r.ms)))));
        out.push(`| median ms/run | ${ms.join(' | ')} |`);
        out.push('');
      }
    }
  }
  const notRun = pop.arms.filter((a) => a.why);
  if (notRun.length) {
    out.push(`Not run: ${notRun.map((a) => `${a.method} λ = ${a.samples} (${a.factor}×, d = ${a.d}): ${a.why}`).join('; ')}.`);
    out.push('');
  }
  return out.join('\n');
}
