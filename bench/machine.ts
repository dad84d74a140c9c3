import { cpus, platform } from 'node:os';
import { type Oracle } from '../src/internal';

/** The machine block every bench report carries (schema fields shared by quality, refine, claims). */
export function machineInfo(oracle: Pick<Oracle, 'backend' | 'adapterInfo'>, threads: number) {
  const a = oracle.adapterInfo;
  return {
    cpu: `${cpus()[0]?.model?.trim() ?? 'unknown'} x${cpus().length}`,
    cores: cpus().length,
    platform: `${platform()} ${process.arch}`,
    node: process.version,
    backend: oracle.backend,
    adapter: a ? [a.vendor, a.architecture, a.description].filter(Boolean).join(' ') || null : null,
    threads,
  };
}
