import { SingleBar, Presets } from 'cli-progress';
import type { BroxResult } from '../oracle/types.js';

export const out = (line: string): void => void process.stdout.write(line + '\n');

/**
 * A progress bar on stderr when stderr is a terminal (silent otherwise: pipes, CI, files): `value` of
 * `total` `unit` (brox run: evaluations of the budget), with the percentage and an ETA.
 */
export function progressBar(total: number, label: string, unit = 'evaluations', stream: NodeJS.WriteStream = process.stderr): { tick(n: number, info: string): void; stop(): void } {
  if (!stream.isTTY) return { tick() {}, stop() {} };
  const bar = new SingleBar(
    { format: `${label} [{bar}] {percentage}% {value}/{total} ${unit} | ETA {eta_formatted} | {info}`, stream, hideCursor: true, clearOnComplete: true, etaBuffer: 20 },
    Presets.shades_classic,
  );
  bar.start(total, 0, { info: '' });
  return {
    tick: (n, info) => bar.update(Math.min(n, total), { info }),
    stop: () => bar.stop(),
  };
}

/**
 * The JSON encoding of non-finite numbers, the same in every --json output and in `brox serve`:
 * the strings "Infinity", "-Infinity" and "NaN" (JSON.stringify would write null for all three).
 */
export const nonFinite = (v: number): number | string => (Number.isFinite(v) ? v : Number.isNaN(v) ? 'NaN' : v > 0 ? 'Infinity' : '-Infinity');

const replacer = (_key: string, v: unknown): unknown => (typeof v === 'number' ? nonFinite(v) : v);

/** JSON.stringify with non-finite numbers as "Infinity" / "-Infinity" / "NaN". */
export const jsonLine = (value: unknown): string => JSON.stringify(value, replacer);

/** A BroxResult as JSON (the fields a tool needs; x as a plain array). Non-finite values already
 *  encoded, so plain JSON.stringify of the result writes them as strings too. */
export const broxJson = (r: BroxResult) => ({ x: Array.from(r.x, nonFinite), fun: nonFinite(r.fun), funCenter: nonFinite(r.funCenter), nfev: r.nfev, index: r.index, improved: r.improved, backend: r.backend, ms: r.ms, gpuMs: r.gpuMs });
