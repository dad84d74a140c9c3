// The built BBOB bench (dist/bbob.js, built by `npm test`'s `npm run build`) on tiny settings: it
// must finish and write a schema-conformant JSON and the markdown; success numbers are never
// checked. A run that throws is recorded as a failure with its message. With python3 + scipy the
// peers' float64 twins (bench/peers/bbob_scipy.py, fed brox's instance data) must match brox's.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { peerData } from '../bench/bbob/peers';
import { runBrox } from '../bench/bbob/run';
import { BBOB_SCHEMA, checkBbobReport, TARGETS, type BbobReport } from '../bench/bbob/schema';
import { bbob } from '../src/objectives/bbob/index';
import { createCpuOracle } from '../src/oracle/cpu';
import { mulberry32 } from './helpers';

const root = fileURLToPath(new URL('..', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'brox-bbob-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const hasScipy = spawnSync('python3', ['bench/peers/bbob_scipy.py', '--version'], { cwd: root, encoding: 'utf8', timeout: 60_000 }).status === 0;

describe('npm run bench:bbob (built, tiny settings)', () => {
  const out = join(dir, 'b.json');
  let rep: BbobReport;

  it('is built', () => expect(existsSync(join(root, 'dist/bbob.js'))).toBe(true));

  it('runs to the end and writes the JSON and the markdown', () => {
    const r = spawnSync(process.execPath, ['dist/bbob.js', '--dims', '2', '--functions', '1,21', '--instances', '1-2', '--methods', 'bpm,cma-es', '--budget', '200', '--peers', 'differential_evolution', '--backend', 'cpu', '--threads', '1', '--out', out, '--quiet'], {
      cwd: root,
      encoding: 'utf8',
      timeout: 300_000,
    });
    expect(r.status, `exit ${r.status}\n${r.stderr}`).toBe(0);
    const md = readFileSync(out.replace(/\.json$/, '.md'), 'utf8');
    expect(md).toMatch(/^## bench:bbob — \d{4}-\d{2}-\d{2}/);
    expect(md).toContain('| method | 1e1·d | 1e2·d | 2e2·d | (f, i) at 1e-8 | runs that threw |');
    expect(md).toContain('| f1 sphere |');
    rep = JSON.parse(readFileSync(out, 'utf8'));
  });

  it('the JSON conforms to the schema (every run present once, hits consistent with f)', () => {
    expect(rep.schema).toBe(BBOB_SCHEMA);
    expect(checkBbobReport(rep)).toEqual([]);
    expect(rep.settings).toMatchObject({ dims: [2], functions: [1, 21], instances: [1, 2], budgetPerDim: 200, backend: 'cpu' });
    expect(rep.runs.filter((r) => r.method === 'bpm' || r.method === 'cma-es')).toHaveLength(8);
    if (hasScipy) {
      expect(rep.peers.scipy).toMatchObject({ ran: true, methods: ['scipy-differential_evolution'] });
      expect(rep.runs.filter((r) => r.method === 'scipy-differential_evolution').every((r) => r.nfev <= 400)).toBe(true);
    } else expect(rep.peers.scipy.ran).toBe(false);
  });

  it('--render rewrites the same markdown from the JSON', () => {
    const md = readFileSync(out.replace(/\.json$/, '.md'), 'utf8');
    rmSync(out.replace(/\.json$/, '.md'));
    const r = spawnSync(process.execPath, ['dist/bbob.js', '--render', out], { cwd: root, encoding: 'utf8', timeout: 60_000 });
    expect(r.status, r.stderr).toBe(0);
    expect(readFileSync(out.replace(/\.json$/, '.md'), 'utf8')).toBe(md);
  });

  it('the schema check catches a lost run and a target counted above f', () => {
    const lost = { ...rep, runs: rep.runs.slice(1) };
    expect(checkBbobReport(lost).join('\n')).toMatch(/appears 0 times/);
    const r0 = { ...rep.runs[0], fun: 1, hits: TARGETS.map(() => 1) };
    expect(checkBbobReport({ ...rep, runs: [r0, ...rep.runs.slice(1)] }).join('\n')).toMatch(/counted but f = 1/);
  });

  it('a run that throws is recorded as a failure with its message', async () => {
    const r = await runBrox('no-such-method', 1, 2, 1, 100, createCpuOracle());
    expect(r.status).toBe('error');
    expect(r.error).toMatch(/no-such-method/);
    expect(r.hits.every((h) => h === null)).toBe(true);
  });

  it.runIf(hasScipy)('the scipy peers evaluate the same 24 functions as brox (same instance data, float64)', () => {
    const rnd = mulberry32(9);
    const jobs: { fid: number; d: number; data: ReturnType<typeof peerData>; points: number[][] }[] = [];
    for (const d of [2, 7])
      for (let fid = 1; fid <= 24; fid++) {
        const xo = bbob(fid, d, 3).minimum!.x![0];
        const points = [xo, ...Array.from({ length: 6 }, () => Array.from({ length: d }, () => 12 * rnd() - 6)), ...Array.from({ length: 4 }, () => xo.map((v) => v + 0.01 * (2 * rnd() - 1)))];
        jobs.push({ fid, d, data: peerData(fid, d, 3), points });
      }
    const r = spawnSync('python3', ['bench/peers/bbob_scipy.py', '--eval'], { cwd: root, input: JSON.stringify(jobs), encoding: 'utf8', timeout: 120_000 });
    expect(r.status, r.stderr).toBe(0);
    const got = JSON.parse(r.stdout) as number[][];
    const bad: string[] = [];
    jobs.forEach((j, k) => {
      const o = bbob(j.fid, j.d, 3);
      j.points.forEach((p, i) => {
        const want = o.js(p);
        const e = Math.abs(got[k][i] - want) / Math.max(1e-12, Math.abs(want));
        if (!(e <= 1e-9 || Math.abs(got[k][i] - want) <= 1e-15)) bad.push(`f${j.fid} d=${j.d} point ${i}: python ${got[k][i]} brox ${want}`);
      });
    });
    expect(bad).toEqual([]);
  });
});
