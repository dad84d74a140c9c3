import { extname } from 'node:path';
import { BroxError } from '../errors.js';
import { parseNumericRows } from './csv.js';
import { MAX_RAW_BYTES, readExactly, readTextBounded } from './read.js';
import type { Dataset } from '../objectives/data.js';

/**
 * Reads a dataset file: rows of features with the target in the last column.
 * - .csv / .txt: comma (or ; / tab / space) separated numbers, quoting as in RFC 4180 (csv-parse);
 *   a first line that is not numeric is a header (./csv.ts, shared with `brox eval`).
 * - .json: { "A": [[...], ...], "y": [...] } (or "b" for y), or an array of rows.
 * - .f32 / .bin: raw little-endian float32, row-major, with `shape` = [rows, columns]; read into
 *   typed arrays piece by piece (no number per value, no copy of the whole file).
 * Inputs are bounded (./read.ts): devices are refused, text beyond MAX_TEXT_BYTES and raw data
 * beyond MAX_RAW_BYTES too, each before it is read.
 */
export function loadDataset(path: string, shape?: [number, number]): Dataset {
  const ext = extname(path).toLowerCase();
  if (ext === '.f32' || ext === '.bin') return loadRaw(path, shape);
  const text = readTextBounded(path, 'data');
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

/** A raw float32 file as { A: one flat Float32Array, y, d }: the features and targets split while reading. */
function loadRaw(path: string, shape?: [number, number]): Dataset {
  if (!shape) throw new BroxError('shape', `raw float32 data needs its shape: --shape ROWS,COLUMNS (the last column is the target)`);
  const [m, k] = shape;
  if (!(shape.length === 2 && Number.isInteger(m) && m > 0 && Number.isInteger(k) && k > 1)) throw new BroxError('shape', `must be ROWS,COLUMNS with ROWS >= 1 and COLUMNS >= 2, got ${shape.join(',')}`);
  const bytes = m * k * 4;
  if (bytes > MAX_RAW_BYTES) throw new BroxError('shape', `${m} x ${k} float32 values are ${bytes} bytes, more than the ${MAX_RAW_BYTES} a raw dataset may have`, 'LIMIT');
  const d = k - 1;
  const A = new Float32Array(m * d);
  const y = new Float32Array(m);
  readExactly(path, 'data', bytes, k * 4, (piece, offset) => {
    const f = new Float32Array(piece.buffer, piece.byteOffset, piece.length / 4);
    for (let r = 0, row = offset / (k * 4); r * k < f.length; r++, row++) {
      A.set(f.subarray(r * k, r * k + d), row * d);
      y[row] = f[r * k + d];
    }
  }, (has) => new BroxError('shape', `${m} x ${k} float32 values need ${bytes} bytes, '${path}' has ${has}`));
  return { A, y, d };
}

function split(rows: number[][], path: string): Dataset {
  if (rows.length === 0) throw new BroxError('data', `'${path}' has no rows`);
  if (rows[0].length < 2) throw new BroxError('data', `'${path}' needs at least 2 columns (features, then the target)`);
  return { A: rows.map((r) => r.slice(0, -1)), y: rows.map((r) => r[r.length - 1]) };
}
