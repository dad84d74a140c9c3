// Test hooks: honoured only when the page's URL asks for them (the page tests, and
// `bench:headless --fail-device`). They simulate failures that real browsers show under load.
//
//   ?failDevice=once    the first GPUAdapter.requestDevice() rejects, as Chromium's did under load
//                       ("A valid external Instance reference no longer exists"); later ones work
//   ?failDevice=always  every requestDevice() rejects: an adapter exists but no device can be had
import { BroxError } from '../../src/internal';

export const FAIL_DEVICE_MODES = ['once', 'always'] as const;

/** Makes GPUAdapter.requestDevice fail as `mode` says; does nothing for null or without WebGPU. */
export function installDeviceFailureHook(mode: string | null): void {
  if (mode === null) return;
  if (!(FAIL_DEVICE_MODES as readonly string[]).includes(mode)) throw new BroxError('failDevice', `must be one of ${FAIL_DEVICE_MODES.join(', ')}, got '${mode}'`);
  const proto = (globalThis as { GPUAdapter?: { prototype: GPUAdapter } }).GPUAdapter?.prototype;
  if (!proto) return;
  const real = proto.requestDevice;
  let failed = 0;
  proto.requestDevice = function (this: GPUAdapter, descriptor?: GPUDeviceDescriptor): Promise<GPUDevice> {
    if (mode === 'always' || failed === 0) {
      failed++;
      return Promise.reject(new DOMException(`A valid external Instance reference no longer exists (simulated by the test hook ?failDevice=${mode}, failure ${failed})`, 'OperationError'));
    }
    return real.call(this, descriptor);
  };
}
