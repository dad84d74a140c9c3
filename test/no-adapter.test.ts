import { expect, it } from 'vitest';
import { BroxError } from '../src/errors';
import { createOracle } from '../src/oracle/create';

// This file runs in its own process (vitest 'forks' pool): Vulkan is pointed at a missing driver
// before Dawn starts, as on a machine with no GPU and no SwiftShader.
process.env.VK_ICD_FILENAMES = '/nonexistent/icd.json';

it("'webgpu' where no adapter exists is a clear error; 'auto' falls back to the CPU and says why", async () => {
  const err = await createOracle({ backend: 'webgpu' }).catch((e) => e);
  expect(err).toBeInstanceOf(BroxError);
  expect(err.code).toBe('NO_ADAPTER');
  expect(err.argument).toBe('backend');
  expect(err.message).toMatch(/'webgpu' was requested but no WebGPU adapter found/);
  const auto = await createOracle({ backend: 'auto' });
  expect(auto.backend).toBe('cpu');
  expect(auto.reason).toMatch(/no WebGPU adapter found/);
  auto.destroy();
});
