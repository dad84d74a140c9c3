// The scipy peers (bench/peers/bbob_scipy.py) as a child process: the same instances, starts,
// bounds, budgets and targets; the instance data (x_opt, R, Q, extras) goes to Python in the JSON,
// never re-derived there. Their final points are judged with brox's float64 twin, like brox's runs.
import { bbob, bbobInstance } from '../../src/internal';
import { confirmHits, startPoint } from './run';
import { type BbobRun, TARGETS } from './schema';
import { exchangeJson, findPeerScript, probeScipyWith } from '../quality/peers';

export const SCIPY_METHODS = ['differential_evolution', 'dual_annealing'];
export const peerName = (m: string): string => `scipy-${m}`;

export const peerScript = (): string | null => findPeerScript('bbob_scipy.py');
export const probeScipy = (python: string) => probeScipyWith(python, 'bbob_scipy.py');

/** The JSON a peer gets for one instance. */
export function peerData(fid: number, d: number, instance: number) {
  const t = bbobInstance(fid, d, instance);
  return { xopt: t.xopt, R: t.R, Q: t.Q, ex: t.ex };
}

interface PeerResult {
  id: number;
  method: string;
  x: number[] | null;
  fun: number | null;
  nfev: number;
  hits: (number | null)[];
  status: string;
  ms: number;
  error?: string;
}

export interface PeerJob {
  fid: number;
  d: number;
  instance: number;
  budget: number;
}

/** Runs every job through the scipy methods; returns bench runs (a run that threw is recorded with its message). */
export async function runScipy(python: string, jobs: PeerJob[], methods: string[], log: (s: string) => void): Promise<BbobRun[]> {
  const script = peerScript()!;
  const runs = jobs.map((j, id) => ({ id, fid: j.fid, d: j.d, instance: j.instance, x0: startPoint(j.fid, j.d, j.instance), budget: j.budget, seed: j.instance, data: peerData(j.fid, j.d, j.instance) }));
  const out = await exchangeJson<{ results: PeerResult[] }>(python, script, { methods, targets: TARGETS, runs }, log);
  return out.results.map((r) => {
    const j = jobs[r.id];
    const x = r.x;
    const inBounds = !!x && x.length === j.d && x.every((v) => v >= -5 && v <= 5);
    const fun = x ? bbob(j.fid, j.d, j.instance).js(x) : null; // judged on brox's twin
    return {
      method: peerName(r.method),
      fid: j.fid,
      instance: j.instance,
      d: j.d,
      budget: j.budget,
      nfev: r.nfev,
      fun: fun !== null && Number.isFinite(fun) ? fun : null,
      hits: inBounds ? confirmHits(fun, r.hits, r.nfev) : TARGETS.map(() => null),
      status: r.status,
      ms: r.ms,
      ...(r.error ? { error: r.error } : {}),
    };
  });
}
