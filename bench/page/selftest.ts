// ?selftest: the oracle's WGSL kernels against the CPU reference inside the browser (not only in
// Node/Dawn): same seed and N, same winner (or a float32 near-tie judged in float64).
import { builtinNames, getObjective, orderValue, pointOf, prepareSampler, type Oracle } from '../../src/internal';

export interface SelfTestCase {
  name: string;
  dim: number;
  gpuIndex: number;
  cpuIndex: number;
  ok: boolean;
  detail: string;
}

export async function selfTest(gpu: Oracle, cpu: Oracle, progress: (done: number, total: number) => void): Promise<SelfTestCase[]> {
  const out: SelfTestCase[] = [];
  const names = builtinNames();
  const dims = [2, 7, 40];
  let done = 0;
  for (const name of names) {
    for (const dim of dims) {
      const obj = getObjective(name, dim);
      const [lo, hi] = obj.domain!;
      const x = Array.from({ length: dim }, (_, i) => lo + (0.2 + 0.6 * (((i * 7919) % 97) / 97)) * (hi - lo));
      const t = 0.1 * (hi - lo);
      const o = { samples: dim === 40 ? 1500 : 4000, seed: 5 };
      const [g, c] = await Promise.all([gpu.brox(obj, x, t, o), cpu.brox(obj, x, t, o)]);
      let ok = g.index === c.index;
      let detail = ok ? 'same winner' : '';
      if (!ok) {
        const spec = { objective: obj, sampler: prepareSampler('l2', dim), bounds: null, seed: o.seed, call: 0, round: 0, center: x, t, outer: x, tOuter: t };
        const val = (i: number) => (i < 0 ? c.funCenter : orderValue(obj.js(pointOf(spec, i)!)));
        const gap = Math.abs(val(g.index) - val(c.index));
        ok = gap <= 1e-5 * Math.max(1, Math.abs(c.fun));
        detail = `different winners, float64 values differ by ${gap.toExponential(2)}`;
      }
      ok &&= Math.abs(g.fun - c.fun) <= 1e-5 * Math.max(1, Math.abs(c.fun));
      out.push({ name, dim, gpuIndex: g.index, cpuIndex: c.index, ok, detail });
      progress(++done, names.length * dims.length);
    }
  }
  return out;
}
