import { BroxError } from '../errors.js';
import { acquireGpu, noAdapterHint, type GpuHandle } from '../gpu/acquire.js';
import { describeAdapter, summarizeAdapter, type AdapterSummary } from '../gpu/adapter.js';
import { checkInteger, checkOneOf } from '../validate.js';
import { defaultThreads } from './cpu-pool.js';
import { createCpuOracle } from './cpu.js';
import { BACKEND_CHOICES, type BackendChoice, type Oracle } from './types.js';
import { createWebGpuOracle } from './webgpu.js';
import { tunedFor } from './tuner.js';

export interface CreateOracleOptions {
  /**
   * 'auto' (default): a hardware WebGPU adapter if there is one, else the CPU backend.
   * 'webgpu': any adapter, software ones (SwiftShader) included; throws if there is none.
   * 'cpu': the TypeScript reference backend.
   */
  backend?: BackendChoice;
  /** Use this device; the oracle never destroys it. */
  device?: GPUDevice;
  powerPreference?: GPUPowerPreference;
  /** WebGPU: time a few kernel configurations on this device first and use the fastest (cached per device). */
  tune?: boolean;
  /** CPU backend: worker threads for large calls (default: all cores; 1 = calling thread only). */
  threads?: number;
}

async function openAdapter(powerPreference: GPUPowerPreference): Promise<{ handle: GpuHandle; adapter: GPUAdapter; info: AdapterSummary } | { why: string }> {
  const { handle, why } = await acquireGpu();
  if (!handle) return { why };
  const adapter = await handle.gpu.requestAdapter({ powerPreference });
  if (!adapter) {
    handle.release();
    return { why: `no WebGPU adapter found${noAdapterHint()}` };
  }
  const info = summarizeAdapter(adapter.info, (adapter as { isFallbackAdapter?: boolean }).isFallbackAdapter);
  return { handle, adapter, info };
}

/** Optional features brox uses when the adapter has them: subgroupMin reductions, GPU timing. */
export const wantedFeatures = (adapter: GPUAdapter): GPUFeatureName[] =>
  (['subgroups', 'timestamp-query'] as GPUFeatureName[]).filter((f) => adapter.features.has(f));

/** Limits brox raises to what the adapter allows: large grids and large datasets. */
export const deviceLimits = (adapter: GPUAdapter): Record<string, number> => ({
  maxComputeWorkgroupsPerDimension: adapter.limits.maxComputeWorkgroupsPerDimension,
  maxStorageBufferBindingSize: adapter.limits.maxStorageBufferBindingSize,
  maxBufferSize: adapter.limits.maxBufferSize,
});

/** Creates an oracle on the chosen backend; `oracle.reason` says why it is the one in use. */
export async function createOracle(options: CreateOracleOptions = {}): Promise<Oracle> {
  const backend = checkOneOf(options.backend ?? 'auto', BACKEND_CHOICES, 'backend');
  if (options.device) {
    if (backend === 'cpu') throw new BroxError('device', "a device was given but backend is 'cpu'; use 'webgpu' or 'auto'");
    const info = (options.device as { adapterInfo?: GPUAdapterInfo }).adapterInfo;
    const adapterInfo = info ? summarizeAdapter(info) : null;
    const tuning = options.tune ? await tunedFor(options.device, adapterInfo?.software ?? false) : undefined;
    return createWebGpuOracle({ device: options.device, ownsDevice: false, adapterInfo, reason: 'device given by the caller', tuning });
  }
  const cpu = async (reason: string) => createCpuOracle(reason, { threads: options.threads ?? (await defaultThreads()) });
  if (options.threads !== undefined) checkInteger(options.threads, 'threads', 1, 1024);
  if (backend === 'cpu') return cpu('CPU backend requested');

  const opened = await openAdapter(options.powerPreference ?? 'high-performance');
  if ('why' in opened) {
    if (backend === 'webgpu') throw new BroxError('backend', `'webgpu' was requested but ${opened.why}`, 'NO_ADAPTER');
    return cpu(`CPU backend: ${opened.why}`);
  }
  const { handle, adapter, info } = opened;
  if (backend === 'auto' && info.software) {
    handle.release();
    return cpu(`CPU backend: the only WebGPU adapter is a software one (${describeAdapter(info)}), slower than the CPU backend; --backend webgpu (backend: 'webgpu') uses it anyway`);
  }
  const device = await adapter.requestDevice({
    label: 'brox',
    requiredFeatures: wantedFeatures(adapter),
    requiredLimits: deviceLimits(adapter),
  });
  const reason = backend === 'auto' ? `hardware WebGPU adapter found (${describeAdapter(info)})` : `WebGPU requested (${describeAdapter(info)})`;
  const tuning = options.tune ? await tunedFor(device, info.software) : undefined;
  // an owned device that is lost is replaced by a fresh one from a fresh adapter (same features and limits)
  const reacquire = async (): Promise<GPUDevice> => {
    const a = await handle.gpu.requestAdapter({ powerPreference: options.powerPreference ?? 'high-performance' });
    if (!a) throw new BroxError('backend', `the GPU device was lost and no WebGPU adapter is left${noAdapterHint()}`, 'DEVICE_LOST');
    return a.requestDevice({ label: 'brox', requiredFeatures: wantedFeatures(a), requiredLimits: deviceLimits(a) });
  };
  return createWebGpuOracle({ device, ownsDevice: true, adapterInfo: info, reason, release: () => handle.release(), tuning, reacquire });
}
