import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { beforeAll, describe, expect, it } from 'vitest';
import { instrumentDevice, MIX, runLeakCheck } from '../bench/leaks';
import { createCpuOracle } from '../src/oracle/cpu';
import { createWebGpuOracle } from '../src/oracle/webgpu';
import { useGpuDevice } from './helpers';

/**
 * The CI-sized version of `npm run bench:leaks` (10,000 calls there, its figures in
 * bench/results/leaks-*.md): 1,000 mixed calls on WebGPU (SwiftShader) and on the CPU backend.
 *
 * Buffers: exact. engine.stats() (buffers and bytes made through the engine) and the device's own
 * live GPUBuffer count (a wrapper around createBuffer/destroy, so buffers made outside the engine
 * count too) must equal their warm-up values; no shader module or pipeline may be created after
 * warm-up (the mix is fixed, so every call must hit the pipeline cache). One leaked buffer of any
 * size fails this — shown below.
 *
 * RSS: a bound, because RSS is noisy. Measured on the 2-core CI machine (after a full GC): after
 * the first few hundred calls the allocator settles (+8..+20 MB in the first 1,000 calls of a fresh
 * process), then RSS wanders by about +-5 MB (10,000-call figures in bench/results/leaks-2026-11-23.md).
 * So the baseline is taken after a 200-call warm-up and the bound for the next 1,000 calls is
 * 32 MB: three times the noise seen, and half of what a leak of one 64 KB buffer (or 64 KB of
 * host memory) per call would add over 1,000 calls (62.5 MB; on SwiftShader "GPU" memory is host
 * memory, and Dawn zero-fills a buffer on first use, so it is resident). Load on the machine slows
 * the calls but does not change what they allocate, so the bound does not depend on load. A
 * smaller leak (under ~32 KB per call) is left to the exact buffer counts and to the 10,000-call
 * script, whose 64 MB bound sees 6.4 KB per call.
 */
const CALLS = 1000;
const WARMUP = 200;
const RSS_BOUND_MB = 32;

beforeAll(() => {
  // vitest's forks have no --expose-gc; V8 can still hand out its gc function at run time
  if (!(globalThis as { gc?: unknown }).gc) {
    setFlagsFromString('--expose-gc');
    (globalThis as { gc?: unknown }).gc = runInNewContext('gc');
  }
});

describe('no leaks: buffers, pipelines and RSS over 1,000 mixed calls', () => {
  const gpu = useGpuDevice();

  it(`WebGPU: ${CALLS} calls (${MIX.join(', ')}) leave buffers, bytes and pipelines at their warm-up values, RSS within ${RSS_BOUND_MB} MB`, async () => {
    const counts = instrumentDevice(gpu().device);
    const o = createWebGpuOracle({ device: gpu().device, ownsDevice: false, adapterInfo: null, reason: 'test' });
    const r = await runLeakCheck(o, { calls: CALLS, every: 250, rssBoundMB: RSS_BOUND_MB, warmup: WARMUP, device: counts, label: 'webgpu' });
    const [first, last] = [r.checkpoints[0], r.checkpoints[r.checkpoints.length - 1]];
    console.log(`leaks (webgpu, ${CALLS} calls): engine ${JSON.stringify(first.engine)} -> ${JSON.stringify(last.engine)}; device ${JSON.stringify(first.device)} -> ${JSON.stringify(last.device)}; RSS ${first.rssMB} -> ${last.rssMB} MB (peak +${r.rssPeakGrowthMB})`);
    expect(r.failures).toEqual([]);
    for (const c of r.checkpoints) {
      expect(c.engine).toEqual(first.engine);
      expect(c.device!.liveBuffers).toBe(first.device!.liveBuffers);
      expect(c.device!.liveBytes).toBe(first.device!.liveBytes);
      expect(c.device!.pipelines).toBe(first.device!.pipelines);
      expect(c.device!.shaderModules).toBe(first.device!.shaderModules);
    }
    expect(first.engine!.buffers).toBeGreaterThan(0);
    expect(r.rssGrowthMB).toBeLessThan(RSS_BOUND_MB);
    o.destroy();
    expect(o.engine.stats()).toEqual({ buffers: 0, bytes: 0 });
    // the engine's buffers and the timestamp timer's two: all destroyed with the oracle
    expect(counts().liveBuffers).toBe(0);
  });

  it(`CPU: ${CALLS} calls keep RSS within ${RSS_BOUND_MB} MB`, async () => {
    const o = createCpuOracle('test');
    const r = await runLeakCheck(o, { calls: CALLS, every: 250, rssBoundMB: RSS_BOUND_MB, warmup: WARMUP, label: 'cpu' });
    console.log(`leaks (cpu, ${CALLS} calls): RSS ${r.checkpoints[0].rssMB} -> ${r.checkpoints[r.checkpoints.length - 1].rssMB} MB (peak +${r.rssPeakGrowthMB})`);
    expect(r.failures).toEqual([]);
    o.destroy();
  });

  it('the check fails on real leaks: one 64 KB GPU buffer once (exact counts), 64 KB of memory per call (RSS bound)', async () => {
    const counts = instrumentDevice(gpu().device);
    const o = createWebGpuOracle({ device: gpu().device, ownsDevice: false, adapterInfo: null, reason: 'test' });
    const oneBuffer = await runLeakCheck(o, { calls: 40, every: 40, rssBoundMB: RSS_BOUND_MB, device: counts, label: 'webgpu', afterCall: (i) => i === 20 && o.engine.buffer('test.leak', 65536, GPUBufferUsage.STORAGE) });
    expect(oneBuffer.failures.join('\n')).toMatch(/engine buffers[\s\S]*device live buffers/);
    o.destroy();
    // memory held per call: 64 KB touched (resident), kept alive as a leak would be
    const cpu = createCpuOracle('test');
    const held: Uint8Array[] = [];
    const perCall = await runLeakCheck(cpu, { calls: CALLS, every: CALLS, rssBoundMB: RSS_BOUND_MB, warmup: WARMUP, label: 'cpu', afterCall: () => held.push(new Uint8Array(65536).fill(1)) });
    console.log(`leaks (cpu + 64 KB per call): RSS growth ${perCall.rssGrowthMB} MB`);
    expect(perCall.rssGrowthMB).toBeGreaterThan(RSS_BOUND_MB);
    expect(perCall.failures.join('\n')).toMatch(/RSS grew/);
    expect(held.length).toBe(CALLS);
    cpu.destroy();
  });
});
