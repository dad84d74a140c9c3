import { existsSync } from 'node:fs';
import { afterAll, beforeAll } from 'vitest';
import { createOracle } from '../src/oracle/create';
import type { Oracle } from '../src/oracle/types';

/**
 * A WebGPU oracle on whatever adapter Dawn finds (SwiftShader in CI). Never skipped: if there is
 * no adapter the tests fail, because a kernel test that does not run proves nothing.
 */
export function useGpuOracle(): () => Oracle {
  let oracle: Oracle | null = null;
  beforeAll(async () => {
    if (!existsSync(process.env.VK_ICD_FILENAMES ?? '')) {
      throw new Error(`VK_ICD_FILENAMES=${process.env.VK_ICD_FILENAMES} does not exist: install Debian's chromium and libvulkan1 (bash .ci/run does)`);
    }
    oracle = await createOracle({ backend: 'webgpu' });
  });
  afterAll(() => oracle?.destroy());
  return () => {
    if (!oracle) throw new Error('GPU oracle not created');
    return oracle;
  };
}
