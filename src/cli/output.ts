import { SingleBar, Presets } from 'cli-progress';
import type { BroxResult } from '../oracle/types.js';

export const out = (line: string): void => void process.stdout.write(line + '\n');

/** A progress bar on stderr when stderr is a terminal (silent otherwise: pipes, CI, files). */
export function progressBar(total: number, label: string): { tick(n: number, info: string): void; stop(): void } {
  if (!process.stderr.isTTY) return { tick() {}, stop() {} };
  const bar = new SingleBar({ format: `${label} [{bar}] {value}/{total} {info}`, stream: process.stderr, hideCursor: true, clearOnComplete: true }, Presets.shades_classic);
  bar.start(total, 0, { info: '' });
  return {
    tick: (n, info) => bar.update(n, { info }),
    stop: () => bar.stop(),
  };
}

/** A BroxResult as JSON (the fields a tool needs; x as a plain array). */
export const broxJson = (r: BroxResult) => ({ x: r.x, fun: r.fun, funCenter: r.funCenter, nfev: r.nfev, index: r.index, improved: r.improved, backend: r.backend, ms: r.ms, gpuMs: r.gpuMs });
