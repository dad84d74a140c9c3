import { LEAN_NORMALS_WASM } from './lean-normals.wasm.js';

/**
 * The lean generator's normals for a block of samples in WebAssembly SIMD (lean-normals.wat):
 * Threefry-2x32-13 on four samples' pair j at once in i32x4, Box-Muller in f64x2; and, where
 * asked, each sample's radius uniform u (the words of pair 1023, as lean.radius), exactly. The
 * TypeScript twin (src/rng/lean.ts, lean.normals) is the reference: the same words, angle,
 * polynomials and sums, all bit-identical except the natural log (a vectorised atanh series,
 * within about an ulp of Math.log), so normals and sums of squares agree to ~1e-16 relative
 * (test/wasm-lean.test.ts). No node: imports; works in Node 20, browsers and worker threads.
 * Each module instance (one per thread/realm) owns its memory; calls are synchronous and not
 * re-entrant, which JavaScript's single thread per realm guarantees.
 */

interface Exports {
  memory: WebAssembly.Memory;
  heap_base: WebAssembly.Global; // below it: the kernel's scratch
  lean_normals_block(k0: number, k1: number, lo0: number, hiBase: number, count: number, d: number, outPtr: number, ssPtr: number, uPtr: number): void;
  ln_block(ptr: number, n: number): void;
}

/** Normals per wasm call in leanNormalsBlock (its memory: about 1 MiB of normals + 2^18 / d bytes of sums and uniforms). */
const CHUNK_NORMALS = 1 << 17;
const SS_PAD = 4; // doubles the kernel may write past ss's count (lean-normals.wat); none past out's
const U_PAD = 8; // past u's: up to 7

let bytes: Uint8Array<ArrayBuffer> | undefined;
let validated: boolean | undefined;
let syncFailed = false;
let exports: Exports | undefined;

function wasmBytes(): Uint8Array<ArrayBuffer> {
  if (!bytes) {
    const bin = atob(LEAN_NORMALS_WASM);
    bytes = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  }
  return bytes;
}

function validates(): boolean {
  if (validated === undefined) {
    try {
      validated = typeof WebAssembly === 'object' && WebAssembly.validate(wasmBytes());
    } catch {
      validated = false;
    }
  }
  return validated;
}

/**
 * Whether leanNormalsBlock/View can run here now: WebAssembly with fixed-width SIMD, and the module
 * instantiated (synchronously, on first ask: the module is under 4 KiB, which every browser allows
 * on a main thread; should an embedder still refuse, this says false -- use the TypeScript twin, or
 * await wasmSimdReady()). Cheap after the first call.
 */
export function wasmSimdAvailable(): boolean {
  if (exports) return true;
  if (syncFailed || !validates()) return false;
  try {
    exports = new WebAssembly.Instance(new WebAssembly.Module(wasmBytes()), {}).exports as unknown as Exports;
    return true;
  } catch {
    syncFailed = true;
    return false;
  }
}

/** wasmSimdAvailable(), instantiating asynchronously where a synchronous compile was refused. */
export async function wasmSimdReady(): Promise<boolean> {
  if (wasmSimdAvailable()) return true;
  if (!validates()) return false;
  try {
    const { instance } = await WebAssembly.instantiate(wasmBytes(), {});
    exports ??= instance.exports as unknown as Exports;
    return true;
  } catch {
    return false;
  }
}

function instance(): Exports {
  if (!exports && !wasmSimdAvailable()) throw new Error('WebAssembly SIMD is not available here: use the TypeScript generator (lean.normals)');
  return exports as Exports;
}

function reserve(ex: Exports, nbytes: number): ArrayBuffer {
  const have = ex.memory.buffer.byteLength;
  if (nbytes > have) ex.memory.grow(Math.ceil((nbytes - have) / 65536));
  return ex.memory.buffer; // a new buffer after grow: take views only after reserving
}

function check(index0: number, count: number, d: number): void {
  if (!Number.isInteger(d) || d < 1) throw new RangeError(`d must be a positive integer, got ${d}`);
  if (!Number.isInteger(count) || count < 0) throw new RangeError(`count must be a non-negative integer, got ${count}`);
  if (!Number.isInteger(index0) || index0 < 0 || index0 + count > 2 ** 53) throw new RangeError(`index0 out of range: ${index0}`);
}

/**
 * Runs the kernel for samples index0 .. index0 + count - 1 into one region of the module's memory
 * (ss at heap_base, then u, then out), one call per 2^32 index range (the counter's high word: c0
 * wraps, hiBase steps by 1024, for the normals' pairs and u's j = 1023 alike). The pieces are
 * written in order, so a piece's overshoot past its ss or u lands where the next writes later.
 * u is computed only where withU.
 */
function fill(ex: Exports, k0: number, k1: number, index0: number, count: number, d: number, withU: boolean): { outPtr: number; ssPtr: number; uPtr: number; buf: ArrayBuffer } {
  const ssPtr = ex.heap_base.value as number;
  const uPtr = ssPtr + (((count + SS_PAD) * 8 + 15) & ~15);
  const outPtr = uPtr + (((count + U_PAD) * 8 + 15) & ~15);
  const buf = reserve(ex, outPtr + count * d * 8);
  for (let done = 0; done < count; ) {
    const index = index0 + done;
    const lo = index >>> 0; // ToUint32: index mod 2^32, as the twin
    const hi = (index - lo) / 4294967296;
    const n = Math.min(count - done, 4294967296 - lo);
    ex.lean_normals_block(k0 | 0, k1 | 0, lo | 0, (hi * 1024) | 0, n, d, outPtr + done * d * 8, ssPtr + done * 8, withU ? uPtr + done * 8 : 0);
    done += n;
  }
  return { outPtr, ssPtr, uPtr, buf };
}

/**
 * lean.normals for samples index0 .. index0 + count - 1 under key (k0, k1): sample s's d normals
 * at out[s d .. s d + d), its sum of squares at ss[s], and where u is given its radius uniform at
 * u[s] (unitOf(lean.words(k0, k1, index0 + s, 1023)[0]), exact). Computed in chunks of about 2^17
 * normals (the module's memory stays about 1 MiB + 16 d bytes) and copied out. index0 + count <= 2^53.
 */
export function leanNormalsBlock(k0: number, k1: number, index0: number, count: number, d: number, out: Float64Array, ss: Float64Array, u?: Float64Array): void {
  check(index0, count, d);
  if (out.length < count * d || ss.length < count) throw new RangeError('out must hold count d normals and ss count sums');
  if (u && u.length < count) throw new RangeError('u must hold count uniforms');
  const ex = instance();
  const chunk = Math.max(1, Math.floor(CHUNK_NORMALS / d));
  for (let done = 0; done < count; done += chunk) {
    const n = Math.min(count - done, chunk);
    const { outPtr, ssPtr, uPtr, buf } = fill(ex, k0, k1, index0 + done, n, d, !!u);
    out.set(new Float64Array(buf, outPtr, n * d), done * d);
    ss.set(new Float64Array(buf, ssPtr, n), done);
    if (u) u.set(new Float64Array(buf, uPtr, n), done);
  }
}

/**
 * leanNormalsBlock without the copy: views of the module's memory holding the block (z: count d
 * normals, sample-major; ss: count sums; u: count radius uniforms, as leanNormalsBlock's u). Valid
 * until the next call into this module in this thread (any of its functions may reuse or grow the
 * memory). count d <= 2^27. withU false: no radius uniforms (Gaussian samplers do not use them).
 */
export function leanNormalsView(k0: number, k1: number, index0: number, count: number, d: number, withU = true): { z: Float64Array; ss: Float64Array; u?: Float64Array } {
  check(index0, count, d);
  if (count * d > 2 ** 27) throw new RangeError('leanNormalsView: at most 2^27 normals a call');
  const { outPtr, ssPtr, uPtr, buf } = fill(instance(), k0, k1, index0, count, d, withU);
  return { z: new Float64Array(buf, outPtr, count * d), ss: new Float64Array(buf, ssPtr, count), ...(withU ? { u: new Float64Array(buf, uPtr, count) } : {}) };
}

/** The kernel's natural log alone (positive normal doubles), for tests. */
export function wasmLn(xs: Float64Array): Float64Array {
  const ex = instance();
  const n = (xs.length + 3) & ~3;
  const at = ex.heap_base.value as number;
  const buf = reserve(ex, at + n * 8);
  const view = new Float64Array(buf, at, n);
  view.fill(1);
  view.set(xs);
  ex.ln_block(at, n);
  return view.slice(0, xs.length);
}
