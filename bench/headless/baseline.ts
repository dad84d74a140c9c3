import type { CaseResult, SuiteResults } from '../page/results';

const key = (c: CaseResult) => `${c.objective}/d${c.dim}/n${c.samples}/${c.backend}`;

/**
 * Ratios of samples/s against a baseline run, case by case (ratios, since absolute times on shared
 * machines drift). A case slower than the baseline by more than maxSlowdown fails.
 */
export function compareToBaseline(cur: SuiteResults, base: SuiteResults, maxSlowdown: number): { lines: string[]; slower: string[] } {
  const byKey = new Map(base.cases.map((c) => [key(c), c]));
  const lines = [`baseline ${base.date} (${base.adapter?.architecture ?? 'cpu'}), failing below ${(1 - maxSlowdown).toFixed(2)}x:`];
  const slower: string[] = [];
  for (const c of cur.cases) {
    const b = byKey.get(key(c));
    if (!b) {
      lines.push(`  ${key(c).padEnd(34)} not in baseline`);
      continue;
    }
    const ratio = c.samplesPerSec / b.samplesPerSec;
    const bad = ratio < 1 - maxSlowdown;
    if (bad) slower.push(key(c));
    lines.push(`  ${key(c).padEnd(34)} ${ratio.toFixed(2)}x${bad ? '  SLOWER' : ''}`);
  }
  return { lines, slower };
}
