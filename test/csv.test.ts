import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parsePoints } from '../src/cli/eval';
import { parseNumericRows } from '../src/data/csv';
import { loadDataset } from '../src/data/load';
import { BroxError } from '../src/errors';

// One CSV parser (csv-parse) behind `brox eval`'s points and `--data`: the same file is read the
// same way by both, header and quoting included.
const dir = mkdtempSync(join(tmpdir(), 'brox-csv-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const rows = (text: string) => parseNumericRows(text, 'points', 'stdin').rows;
const err = (f: () => unknown): BroxError => {
  try {
    f();
  } catch (e) {
    return e as BroxError;
  }
  throw new Error('no error');
};

describe('parseNumericRows', () => {
  it('delimiters, quoting, header, BOM, comments, blank lines, CRLF', () => {
    expect(rows('1,2\n3,4\n')).toEqual([[1, 2], [3, 4]]);
    expect(rows('x,y\r\n1,2\r\n')).toEqual([[1, 2]]);
    expect(parseNumericRows('"a, first",b\n"1.5","-2e-3"\n', 'data', 'f').header).toEqual(['a, first', 'b']);
    expect(rows('"a, first",b\n"1.5","-2e-3"\n')).toEqual([[1.5, -0.002]]);
    expect(rows('\uFEFF# comment\n\n1;2\n 3 ; 4 \n')).toEqual([[1, 2], [3, 4]]);
    expect(rows('1\t2\n3\t4\n')).toEqual([[1, 2], [3, 4]]);
    expect(rows('1   2\n  3 4\n')).toEqual([[1, 2], [3, 4]]);
    expect(rows('.5,1.\n')).toEqual([[0.5, 1]]);
  });

  it('bad input names the argument, the line and the column', () => {
    expect(err(() => rows('1,2\n3,x\n')).message).toBe("points: stdin line 2, column 2: expected a number, got 'x'");
    expect(err(() => rows('1,2\n3\n')).message).toBe('points: stdin line 2: 1 value, the rows before have 2');
    expect(err(() => rows('1,2\n3,\n')).message).toMatch(/line 2, column 2: expected a number, got ''/);
    expect(err(() => rows('1,2\n0x10,1\n')).message).toMatch(/line 2, column 1: expected a number, got '0x10'/);
    expect(err(() => rows('1,2\n\n3,"4\n')).message).toMatch(/^points: stdin line 3: not valid CSV: Quote Not Closed/);
    const e = err(() => parseNumericRows('a,b\n1,2\n\n# c\n3,nan\n', 'data', "'f.csv'"));
    expect(e).toBeInstanceOf(BroxError);
    expect(e.argument).toBe('data');
    expect(e.message).toBe("data: 'f.csv' line 5, column 2: expected a number, got 'nan'");
  });
});

describe('issue 20 #10: a first data row is never taken for a header', () => {
  it('a first row with a NaN, a typo or an empty field is an error at line 1, not a dropped header', () => {
    expect(err(() => rows('NaN,1\n2,3\n')).message).toBe("points: stdin line 1, column 1: expected a number, got 'NaN'");
    expect(err(() => rows('nan,inf\n2,3\n')).message).toBe("points: stdin line 1, column 1: expected a number, got 'nan'");
    expect(err(() => rows('1,oops\n2,3\n')).message).toBe("points: stdin line 1, column 2: expected a number, got 'oops'");
    expect(err(() => rows('1.2.3\n4\n')).message).toBe("points: stdin line 1, column 1: expected a number, got '1.2.3'");
    expect(err(() => rows('# data\n1,,3\n4,5,6\n')).message).toBe("points: stdin line 2, column 2: expected a number, got ''");
    expect(err(() => rows('1,,3\n')).message).toBe("points: stdin line 1, column 2: expected a number, got ''");
    expect(err(() => rows('x,,y\n1,2,3\n')).message).toBe("points: stdin line 1, column 1: expected a number, got 'x'");
    expect(err(() => rows('1\t\t3\n')).message).toBe("points: stdin line 1, column 2: expected a number, got ''");
    expect(err(() => rows('1,2\n1e999,3\n')).message).toBe("points: stdin line 2, column 1: expected a finite number, got '1e999'");
  });

  it('a header of names is still a header, for eval and --data alike', () => {
    expect(parseNumericRows('x1,"feature, two",_y\n1,2,3\n', 'data', 'f')).toEqual({ rows: [[1, 2, 3]], header: ['x1', 'feature, two', '_y'] });
    expect(parseNumericRows('a b\n1 2\n', 'data', 'f')).toEqual({ rows: [[1, 2]], header: ['a', 'b'] });
    const file = join(dir, 'nan-first.csv');
    writeFileSync(file, 'NaN,1\n2,3\n4,5\n');
    expect(err(() => loadDataset(file)).message).toBe(`data: '${file}' line 1, column 1: expected a number, got 'NaN'`);
    expect(err(() => parsePoints('NaN,1\n2,3\n', 'p.csv')).message).toBe("points: p.csv line 1, column 1: expected a number, got 'NaN'");
  });
});

describe('brox eval and --data read the same file alike', () => {
  const text = 'feature one,"feature, two",target\n1,0,3\n0,1,4\n"2",2,14\n';
  it('a header line: accepted by both (eval used to reject it)', () => {
    const file = join(dir, 'ls.csv');
    writeFileSync(file, text);
    const points = parsePoints(text, 'points.csv');
    const data = loadDataset(file);
    expect(points).toEqual([[1, 0, 3], [0, 1, 4], [2, 2, 14]]);
    expect(data.A).toEqual(points.map((r) => r.slice(0, -1)));
    expect(data.y).toEqual(points.map((r) => r[r.length - 1]));
  });

  it('JSON forms of points are unchanged; lines may mix forms as before', () => {
    expect(parsePoints('[[1,2],[3,4]]', 's')).toEqual([[1, 2], [3, 4]]);
    expect(parsePoints('1,2\n3 4\n[0,1]\n"5";6\n', 's')).toEqual([[1, 2], [3, 4], [0, 1], [5, 6]]);
    expect(err(() => parsePoints('1,2\n[0,"a"]\n', 's')).message).toBe(`points: s line 2: expected a JSON array of finite numbers, got '[0,"a"]'`);
    expect(parsePoints('[1,2]\n[3,4]\n', 's')).toEqual([[1, 2], [3, 4]]);
    expect(parsePoints('', 's')).toEqual([]);
  });

  it('the same error wording for both', () => {
    const file = join(dir, 'bad.csv');
    writeFileSync(file, '1,2\n3,oops\n');
    expect(err(() => loadDataset(file)).message).toBe(`data: '${file}' line 2, column 2: expected a number, got 'oops'`);
    expect(err(() => parsePoints('1,2\n3,oops\n', 'p.csv')).message).toBe("points: p.csv line 2, column 2: expected a number, got 'oops'");
  });
});
