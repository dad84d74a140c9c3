// One brox run on one BBOB instance: start, bounds, budget and targets as the bench fixes them;
// targets are confirmed on the float64 twin at the returned point.
import { BBOB_DOMAIN, bbob, minimize, srRandom, type MethodName, type Oracle } from '../../src/internal';
import { type BbobRun, TARGETS } from './schema';

/** The start of every method on (fid, d, instance): uniform in [-4, 4]^d, seeded (documented in README). */
export function startPoint(fid: number, d: number, instance: number): number[] {
  const rng = srRandom((0x5eed0000 + 1000 * instance + fid) >>> 0, d);
  return Array.from({ length: d }, () => -4 + 8 * rng.uniform());
}

/** Applies the rule of BbobRun.hits: a target counts only if the twin's value at the returned point reaches it. */
export function confirmHits(fun: number | null, seen: (number | null)[], nfev: number): (number | null)[] {
  return TARGETS.map((t, k) => (fun !== null && Number.isFinite(fun) && fun <= t ? (seen[k] ?? nfev) : null));
}

/**
 * A method entry of --methods: a registered name, optionally with parameters after colons
 * ("cma-es:restartStrategy=ipop:sigma0=2"), so that variants of one method run side by side;
 * the whole entry is the run's method label. Values: numbers, true/false, or strings.
 */
export function parseMethodSpec(spec: string): { name: string; params: Record<string, unknown> } {
  const [name, ...pairs] = spec.split(':');
  const params: Record<string, unknown> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq < 1) throw new Error(`'${pair}' in '${spec}' is not key=value`);
    const raw = pair.slice(eq + 1);
    params[pair.slice(0, eq)] = raw === 'true' ? true : raw === 'false' ? false : raw.trim() !== '' && Number.isFinite(Number(raw)) ? Number(raw) : raw;
  }
  return { name, params };
}

export async function runBrox(method: string, fid: number, d: number, instance: number, budgetPerDim: number, oracle: Oracle): Promise<BbobRun> {
  const budget = budgetPerDim * d;
  const base = { method, fid, instance, d, budget };
  const seen: (number | null)[] = TARGETS.map(() => null);
  let next = 0;
  const t0 = performance.now();
  try {
    const obj = bbob(fid, d, instance);
    const spec = parseMethodSpec(method);
    const r = await minimize(obj, startPoint(fid, d, instance), {
      method: spec.name as MethodName,
      params: spec.params,
      bounds: [BBOB_DOMAIN[0], BBOB_DOMAIN[1]],
      maxEvals: budget,
      fTarget: TARGETS[TARGETS.length - 1],
      seed: instance,
      oracle,
      history: false,
      callback: (s: { fun: number; nfev: number }) => {
        while (next < TARGETS.length && s.fun <= TARGETS[next]) seen[next++] = s.nfev;
      },
    });
    const x = Array.from(r.x as ArrayLike<number>);
    const inBounds = x.length === d && x.every((v) => v >= BBOB_DOMAIN[0] && v <= BBOB_DOMAIN[1]);
    const fun = obj.js(x);
    return {
      ...base,
      nfev: r.nfev,
      fun: Number.isFinite(fun) ? fun : null,
      hits: inBounds ? confirmHits(fun, seen, r.nfev) : TARGETS.map(() => null),
      status: inBounds ? String(r.status) : `${String(r.status)} (returned point outside [-5, 5]^d)`,
      ms: performance.now() - t0,
    };
  } catch (e) {
    return { ...base, nfev: 0, fun: null, hits: TARGETS.map(() => null), status: 'error', ms: performance.now() - t0, error: (e as Error)?.stack ?? String(e) };
  }
}
