import { parseNumericRows } from '../data/csv.js';
import { readTextBounded } from '../data/read.js';
import { BroxError } from '../errors.js';
import { resolveObjectiveFlags } from './objective-flags.js';
import { openOracle, type CommonFlags } from './run.js';
import { jsonLine, out } from './output.js';

export interface EvalFlags extends CommonFlags {
  points?: string;
}

/** Points as a JSON array of arrays, JSON lines, or CSV/whitespace lines (one point per line, header allowed). */
export function parsePoints(text: string, source: string): number[][] {
  const t = text.trim();
  if (t === '') return [];
  const json = (src: string, where: string): unknown => {
    try {
      return JSON.parse(src);
    } catch (e) {
      throw new BroxError('points', `${where}: not valid JSON: ${(e as Error).message}`);
    }
  };
  if (t.startsWith('[') && !t.includes('\n')) {
    const doc = json(t, source);
    if (Array.isArray(doc) && doc.every(Array.isArray)) return doc as number[][];
  }
  if (t.startsWith('[[')) return json(t, source) as number[][];
  // CSV (or ; / tab / space separated) and JSON-array lines, with an optional header: the parser of --data
  return parseNumericRows(text, 'points', source, { jsonLines: true }).rows;
}

/** `brox eval`: f at points read from a file or stdin. */
export async function evalCommand(f: EvalFlags): Promise<void> {
  const source = f.points ?? 'stdin';
  const text = readTextBounded(f.points ?? 0, '--points'); // a device or a file past the limit: refused, not read forever
  const points = parsePoints(text, source);
  const dimFromPoints = points[0]?.length ?? 1;
  const { objective } = await resolveObjectiveFlags({ ...f, dim: f.dim ?? (f.data ? undefined : String(dimFromPoints)) }, { objective: undefined, dim: dimFromPoints });
  const oracle = await openOracle(f);
  try {
    const values = await oracle.evaluate(objective, points);
    if (f.json) out(jsonLine({ values, backend: oracle.backend }));
    else for (const v of values) out(String(v));
  } finally {
    oracle.destroy();
  }
}
