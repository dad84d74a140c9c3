import { BroxError } from '../errors.js';
import { lean } from './lean.js';
import { reference } from './reference.js';

/**
 * A generator: where a sampler's random words and normals come from. One .wgsl file
 * (shaders/rng/NAME.wgsl, defining brox_sample_words, brox_normal_pair, brox_normal_sumsq) plus
 * this TS twin, and one line in `generators` below. Samplers draw only through it, so every
 * sampler runs on every generator. Keys and refinement-round hashes are not the generator's:
 * they always use Threefry-2x32-20 (src/samplers/point.ts roundKey).
 */
export interface SampleGenerator {
  readonly name: string;
  readonly description: string;
  readonly wgsl: string;
  /** The two words of counter slot `slot` of sample `index` (a shared buffer: read it before the next call). */
  words(k0: number, k1: number, index: number, slot: number): Uint32Array;
  /** Normals 2j and 2j+1 of sample `index` into out[at] and out[at + 1] (the second only if it fits). */
  normalPair(k0: number, k1: number, index: number, j: number, out: Float64Array, at: number): void;
  /** All out.length normals of sample `index` (pairs 0, 1, ...); returns their sum of squares. The CPU hot loop. */
  normals(out: Float64Array, k0: number, k1: number, index: number): number;
  /**
   * Optional: the normals of `count` consecutive samples from `index0` (z, stride d; count d at most
   * 2^27, the CPU asks about 4096) and their sums of squares (ss) -- the numbers normals() gives,
   * drawn faster (lean: WebAssembly SIMD) -- and, withU, each sample's radius uniform u (slot 1023,
   * word 0; radius() = radiusOf(u)). The arrays stay valid until the next call in this thread.
   * Only used while hasBlocks() says true.
   */
  normalsBlock?(k0: number, k1: number, index0: number, count: number, d: number, withU: boolean): { z: Float64Array; ss: Float64Array; u?: Float64Array };
  /** Whether normalsBlock can run here (checked lazily, on the first scan that could use it). */
  hasBlocks?(): boolean;
  /** The l2 radius factor u^(1/d) of sample `index` (u from slot 1023, word 0). */
  radius(k0: number, k1: number, index: number, d: number): number;
  /** The same factor from the uniform u itself. */
  radiusOf(u: number, d: number): number;
}

/** Every generator, by name: adding one is this line plus its two files. */
export const generators = Object.freeze({ reference, lean } satisfies Record<string, SampleGenerator>);

export type GeneratorName = keyof typeof generators;
export const DEFAULT_GENERATOR: GeneratorName = 'reference';

/** The `generator` option: 'reference' (default; also for null) or 'lean' (BroxError naming the choices otherwise). */
export function getGenerator(name: unknown, argument = 'generator'): SampleGenerator {
  if (name === undefined || name === null) return generators[DEFAULT_GENERATOR];
  if (typeof name !== 'string' || !Object.hasOwn(generators, name)) {
    const got = typeof name === 'string' ? `'${name.slice(0, 40)}'` : Array.isArray(name) ? 'an array' : typeof name;
    throw new BroxError(argument, `must be one of ${Object.keys(generators).map((k) => `'${k}'`).join(', ')}, got ${got}`);
  }
  return generators[name as GeneratorName];
}
