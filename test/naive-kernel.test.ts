import { describe, expect, it } from 'vitest';
import { createNaiveKernel } from '../bench/naive/naive';
import { createCpuOracle } from '../src/oracle/cpu';
import { useGpuDevice } from './helpers';

// The benchmark's plain reference kernel is a WGSL kernel too: its CPU twin is the CPU oracle.
describe('bench reference kernel (naive.wgsl) against the CPU oracle', () => {
  const gpu = useGpuDevice();
  for (const d of [2, 10]) {
    it(`d=${d}: same minimum over the same samples`, async () => {
      const naive = await createNaiveKernel(gpu().device, d);
      const x = new Array(d).fill(2.3);
      const { value } = await naive.run(x, 1, 7, 20000);
      const cpu = await createCpuOracle().brox('rastrigin', x, 1, { samples: 20000, seed: 7, call: 0 });
      // the CPU's winner is a sample here (the centre is worse), so values compare directly
      expect(cpu.improved).toBe(true);
      expect(Math.abs(value - cpu.fun)).toBeLessThanOrEqual(2e-3 * Math.max(1, cpu.fun)); // built-in cos: 2^-11 bound
      naive.destroy();
    });
  }
});
