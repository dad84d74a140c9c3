import { parse } from 'csv-parse/sync';
import { BroxError } from '../errors.js';

/** A decimal number as written in data files (no hex, no empty fields, no "Infinity"). */
const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
/**
 * A header name: not empty, not NaN/Infinity, and not starting like a number (digit, sign, point),
 * so that a first data row with a NaN, an empty field or a typo ('1.2.3', '1,oops') is an error at
 * its line, not a header dropped in silence.
 */
const NAME = /^(?![+-]?(nan|inf(inity)?)$)[^\d+\-.]/i;

type Kind = ',' | ';' | '\t' | ' ' | 'json';
/** A line's separator: ',' when it has one, else ';', else a tab, else spaces; JSON arrays where allowed. */
const kindOf = (line: string, json: boolean): Kind => (json && line.startsWith('[') ? 'json' : line.includes(',') ? ',' : line.includes(';') ? ';' : line.includes('\t') ? '\t' : ' ');

/**
 * Numeric rows of a delimited text, for `brox eval`'s points and `--data` alike: one parser,
 * csv-parse (RFC 4180 quoting: "1.5","2"). Each line's separator is ',' when it has one, else ';',
 * else a tab, else spaces (repeated spaces are one separator); with `jsonLines`, a line starting with
 * '[' is a JSON array. A UTF-8 BOM, blank lines and lines starting with '#' are skipped; a first row
 * of names only (NAME: no field is, or starts like, a number) is a header (returned, not a row).
 * Every field of every other row must be a finite number and every row as long as the first: else a
 * BroxError naming `argument`, the source, the line and the column. Runs of lines of one kind go to
 * the parser in one call.
 */
export function parseNumericRows(text: string, argument: string, source: string, opts: { jsonLines?: boolean } = {}): { rows: number[][]; header: string[] | null } {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const fail = (line: number, what: string): never => {
    throw new BroxError(argument, `${source} line ${line}${what.startsWith('column') ? ', ' : ': '}${what}`);
  };
  let header: string[] | null = null;
  const rows: number[][] = [];
  let width = -1;
  let first = true;
  const take = (f: string[], line: number) => {
    if (f.length === 0) return;
    if (first) {
      first = false;
      if (f.every((v) => NAME.test(v))) {
        header = f;
        return;
      }
    }
    const bad = f.findIndex((v) => !NUMBER.test(v) || !Number.isFinite(Number(v)));
    if (bad >= 0) fail(line, `column ${bad + 1}: expected a ${NUMBER.test(f[bad]) ? 'finite ' : ''}number, got '${f[bad].slice(0, 40)}'`);
    if (width < 0) width = f.length;
    else if (f.length !== width) fail(line, `${f.length} value${f.length === 1 ? '' : 's'}, the rows before have ${width}`);
    rows.push(f.map(Number));
  };
  // runs of consecutive lines of one kind (blank and comment lines join any run)
  let i = 0;
  while (i < lines.length) {
    const t = lines[i].trim();
    if (t === '' || t.startsWith('#')) {
      i++;
      continue;
    }
    const kind = kindOf(t, !!opts.jsonLines);
    if (kind === 'json') {
      let row: unknown;
      try {
        row = JSON.parse(t);
      } catch (e) {
        fail(i + 1, `not valid JSON: ${(e as Error).message}`);
      }
      if (!Array.isArray(row) || row.some((v) => typeof v !== 'number' || !Number.isFinite(v))) fail(i + 1, `expected a JSON array of finite numbers, got '${t.slice(0, 40)}'`);
      first = false;
      take((row as number[]).map(String), i + 1);
      i++;
      continue;
    }
    let j = i + 1;
    for (; j < lines.length; j++) {
      const u = lines[j].trim();
      if (u !== '' && !u.startsWith('#') && kindOf(u, !!opts.jsonLines) !== kind) break;
    }
    let records: Array<{ record: string[]; info: { lines: number } }>;
    try {
      records = parse(lines.slice(i, j).join('\n'), {
        delimiter: kind,
        comment: '#',
        comment_no_infix: true,
        skip_empty_lines: true,
        trim: true,
        relax_column_count: true, // lengths are checked by take(), with a message of ours
        info: true,
      }) as unknown as Array<{ record: string[]; info: { lines: number } }>;
    } catch (e) {
      const at = (e as { lines?: number }).lines;
      throw new BroxError(argument, `${source}${at ? ` line ${i + at}` : ''}: not valid CSV: ${(e as Error).message}`);
    }
    for (const { record, info } of records) take(kind === ' ' ? record.filter((f) => f !== '') : record, i + info.lines);
    i = j;
  }
  return { rows, header };
}
