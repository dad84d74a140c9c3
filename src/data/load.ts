import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { BroxError } from '../errors.js';
import { parseNumericRows } from './csv.js';
import type { Dataset } from '../objectives/data.js';

/**
 * Reads a dataset file: rows of features with the target in the last column.
 * - .csv / .txt: comma (or ; / tab / space) separated numbers, quoting as in RFC 4180 (csv-parse);
 *   a first line that is not numeric is a header (./csv.ts, shared with `brox eval`).
 * - .json: { "A": [[...], ...], "y": [...] } (or "b" for y), or an array of rows.
 * - .f32 / .bin: raw little-endian float32, row-major, with `shape` = [rows, columns].
 */
export function loadDataset(path: string, shape?: [number, number]): Dataset {
  let text: string | null = null;
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    throw new BroxError('data', `cannot read '${path}': ${(e as Error).message}`);
  }
  const ext = extname(path).toLowerCase();
  if (ext === '.f32' || ext === '.bin') {
    if (!shape) throw new BroxError('shape', `raw float32 data needs its shape: --shape ROWS,COLUMNS (the last column is the target)`);
    const [m, k] = shape;
    if (!(Number.isInteger(m) && m > 0 && Number.isInteger(k) && k > 1)) throw new BroxError('shape', `must be ROWS,COLUMNS with ROWS >= 1 and COLUMNS >= 2, got ${shape.join(',')}`);
    if (bytes.byteLength !== m * k * 4) throw new BroxError('shape', `${m} x ${k} float32 values need ${m * k * 4} bytes, '${path}' has ${bytes.byteLength}`);
    const f = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
    return split(Array.from({ length: m }, (_, i) => Array.from(f.subarray(i * k, (i + 1) * k))), path);
  }
  text = bytes.toString('utf8');
  if (ext === '.json') {
    let doc: unknown;
    try {
      doc = JSON.parse(text);
    } catch (e) {
      throw new BroxError('data', `'${path}' is not valid JSON: ${(e as Error).message}`);
    }
    if (Array.isArray(doc)) return split(doc as number[][], path);
    const o = doc as { A?: number[][]; y?: number[]; b?: number[] };
    if (!o || !Array.isArray(o.A) || !Array.isArray(o.y ?? o.b)) throw new BroxError('data', `'${path}' must hold { "A": rows, "y": targets } or an array of rows`);
    return { A: o.A, y: (o.y ?? o.b)! };
  }
  return split(parseNumericRows(text, 'data', `'${path}'`).rows, path);
}

function split(rows: number[][], path: string): Dataset {
  if (rows.length === 0) throw new BroxError('data', `'${path}' has no rows`);
  if (rows[0].length < 2) throw new BroxError('data', `'${path}' needs at least 2 columns (features, then the target)`);
  return { A: rows.map((r) => r.slice(0, -1)), y: rows.map((r) => r[r.length - 1]) };
}
