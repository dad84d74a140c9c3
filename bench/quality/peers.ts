// The scipy peers (bench/peers/quality_scipy.py) as a child process: same cases, starts, bounds,
// budgets and variant data (R, c, z* passed in the JSON, never re-derived in Python). Their final
// points are judged with brox's own float64 twin, like brox's methods.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startPoint, type CaseSpec } from './cases';
import type { QualityRun } from './schema';

export const SCIPY_METHODS = ['dual_annealing', 'differential_evolution'];
export const peerName = (m: string): string => `scipy-${m}`;

/** A peer script of bench/peers/ next to the sources: from the repository root (npm run) or relative to this file / dist/. */
export function findPeerScript(name: string): string | null {
  const here = fileURLToPath(import.meta.url);
  const candidates = [
    resolve(process.cwd(), 'bench/peers', name),
    resolve(here, '../../peers', name), // bench/<bench>/peers.ts
    resolve(here, '../../bench/peers', name), // dist/<bench>.js
  ];
  return candidates.find((p) => existsSync(p)) ?? null;
}

/** scipy's version when `python SCRIPT --version` works (numpy + scipy import), else why not. */
export function probeScipyWith(python: string, name: string): { ok: true; version: string } | { ok: false; why: string } {
  const script = findPeerScript(name);
  if (!script) return { ok: false, why: `bench/peers/${name} not found` };
  const r = spawnSync(python, [script, '--version'], { encoding: 'utf8', timeout: 60_000 });
  if (r.error) return { ok: false, why: `${python} not runnable (${r.error.message})` };
  if (r.status !== 0) return { ok: false, why: `numpy/scipy not importable by ${python}: ${(r.stderr || '').trim().split('\n').pop()}` };
  try {
    return { ok: true, version: (JSON.parse(r.stdout) as { scipy: string }).scipy };
  } catch {
    return { ok: false, why: `unexpected output from ${script} --version` };
  }
}

export const peerScript = (): string | null => findPeerScript('quality_scipy.py');
export const probeScipy = (python: string) => probeScipyWith(python, 'quality_scipy.py');

/**
 * One JSON exchange with a peer script: the request on stdin, the answer on stdout, progress lines
 * from stderr to `log`; a non-zero exit is an error with the script's last lines.
 */
export async function exchangeJson<T>(python: string, script: string, request: unknown, log: (s: string) => void): Promise<T> {
  const child = spawn(python, [script], { stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (s: string) => (stdout += s));
  child.stderr.setEncoding('utf8').on('data', (s: string) => {
    stderr += s;
    for (const line of s.split('\n')) if (line.trim()) log(line.trim());
  });
  const done = new Promise<number>((ok, fail) => {
    child.on('error', fail);
    child.on('close', (code) => ok(code ?? 1));
  });
  child.stdin.end(JSON.stringify(request));
  const code = await done;
  if (code !== 0) throw new Error(`${basename(script)} exited with ${code}: ${stderr.trim().split('\n').slice(-3).join(' | ')}`);
  return JSON.parse(stdout) as T;
}

interface PeerResult {
  id: number;
  method: string;
  x: number[] | null;
  fun: number | null;
  nfev: number;
  evalsToSuccess: number | null;
  status: string;
  ms: number;
  error?: string;
}

/** Runs every (case, seed, budget) through the scipy methods; returns bench runs. */
export async function runScipy(python: string, jobs: { c: CaseSpec; seed: number; budget: number }[], log: (s: string) => void): Promise<QualityRun[]> {
  const script = peerScript()!;
  const runs = jobs.map(({ c, seed, budget }, id) => {
    const obj = c.objective(seed);
    const t = obj.transform;
    return {
      id,
      function: c.function,
      d: c.d,
      lo: c.bounds[0],
      hi: c.bounds[1],
      x0: startPoint(seed, c.d, c.bounds[0], c.bounds[1]),
      budget,
      seed,
      target: c.fStar + c.tol,
      transform: t ? { R: t.R, c: t.c, zStar: t.zStar, outside: t.outside, lo: t.lo, hi: t.hi } : null,
    };
  });
  const out = await exchangeJson<{ results: PeerResult[] }>(python, script, { methods: SCIPY_METHODS, runs }, log);
  return out.results.map((r) => {
    const { c, seed, budget } = jobs[r.id];
    const obj = c.objective(seed);
    const [lo, hi] = c.bounds;
    const x = r.x;
    const inBounds = !!x && x.length === c.d && x.every((v) => v >= lo && v <= hi);
    const fun = x ? obj.js(x) : null; // judged on brox's twin
    const gap = fun === null ? null : fun - c.fStar;
    const success = gap !== null && Number.isFinite(gap) && gap <= c.tol && inBounds;
    return {
      caseId: c.id,
      method: peerName(r.method),
      budget,
      seed,
      objective: obj.name,
      fun: fun !== null && Number.isFinite(fun) ? fun : null,
      gap: gap !== null && Number.isFinite(gap) ? gap : null,
      success,
      inBounds,
      nfev: r.nfev,
      evalsToSuccess: success ? (r.evalsToSuccess ?? r.nfev) : null,
      nit: null,
      status: r.status,
      ms: r.ms,
      ...(r.error ? { error: r.error } : {}),
    };
  });
}
