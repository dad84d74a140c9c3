// The kernel tuning of one device, measured once per GPU run and shared by every step of it
// (bench/gpu/run.sh sets BROX_TUNE_CACHE): each step is its own Node process, and re-tuning in each
// cost seconds of a lease that has fifteen minutes in all.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { tuneKernel, type AdapterSummary, type TuneResult } from '../../src/internal';

const keyOf = (a: AdapterSummary): string => [a.vendor, a.architecture, a.device, a.description].join('|');

/** The cached tuning for this adapter when BROX_TUNE_CACHE names a file that holds it; else tunes (and writes it there). */
export async function cachedTuning(device: GPUDevice, adapter: AdapterSummary): Promise<TuneResult & { cached: boolean }> {
  const file = process.env.BROX_TUNE_CACHE;
  if (file && existsSync(file)) {
    try {
      const c = JSON.parse(readFileSync(file, 'utf8')) as { key: string; tuning: TuneResult };
      if (c.key === keyOf(adapter)) return { ...c.tuning, cached: true };
    } catch {
      // an unreadable cache is re-measured and overwritten
    }
  }
  const tuning = await tuneKernel(device, { software: adapter.software });
  if (file) writeFileSync(file, JSON.stringify({ key: keyOf(adapter), tuning }));
  return { ...tuning, cached: false };
}
