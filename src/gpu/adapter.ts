/** What brox reports about the adapter it runs on (from GPUAdapterInfo). */
export interface AdapterSummary {
  vendor: string;
  architecture: string;
  device: string;
  description: string;
  /** True for CPU implementations (SwiftShader, llvmpipe, WARP): their timings are not GPU timings. */
  software: boolean;
}

const SOFTWARE = /swiftshader|llvmpipe|lavapipe|softpipe|software|microsoft basic render|warp/i;

export function summarizeAdapter(info: GPUAdapterInfo | undefined, fallbackFlag?: boolean): AdapterSummary {
  const vendor = info?.vendor ?? '';
  const architecture = info?.architecture ?? '';
  const device = info?.device ?? '';
  const description = info?.description ?? '';
  const flag = fallbackFlag ?? (info as { isFallbackAdapter?: boolean } | undefined)?.isFallbackAdapter ?? false;
  const software = flag || SOFTWARE.test([vendor, architecture, device, description].join(' '));
  return { vendor, architecture, device, description, software };
}

export const describeAdapter = (a: AdapterSummary): string =>
  [a.vendor, a.architecture, a.description || a.device].filter(Boolean).join(' / ') + (a.software ? ' (software adapter: CPU, not GPU)' : '');
