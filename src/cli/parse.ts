import { BroxError, preview } from '../errors.js';

/** "3,3,3" or "[3, 3, 3]" -> numbers; errors name the option. */
export function parseVector(s: string, option: string): number[] {
  const body = s.trim().replace(/^\[|\]$/g, '');
  if (body === '') throw new BroxError(option, 'must be a comma-separated list of numbers, got an empty string');
  return body.split(',').map((p, i) => {
    const v = Number(p.trim());
    if (p.trim() === '' || !Number.isFinite(v)) throw new BroxError(option, `entry ${i} must be a finite number, got '${preview(p.trim())}'`);
    return v;
  });
}

/** A strict number parser: "1e3" yes, "12abc" no (Number() would say NaN; parseFloat would say 12). */
export function parseNumber(s: string, option: string): number {
  const v = Number(s);
  if (s.trim() === '' || Number.isNaN(v)) throw new BroxError(option, `must be a number, got '${preview(s)}'`);
  return v;
}
