import type { GpuEngine } from '../engine/engine.js';
import { GpuTimer } from '../engine/timer.js';
import { encodeFused, fuseGroups, groupLimit } from './fused-group.js';
import type { ResidentBatch, ResidentSession } from './types.js';

/** One session's share of a batch. */
export interface BatchItem<G = unknown> {
  session: ResidentSession<G>;
  gens: number;
  firstCall: number;
}

// mapAsync wants 8-byte offsets; 256 keeps every session's region on its own copy alignment
const ALIGN = 256;

/**
 * Runs one batch of every item's session in one submission and one readback: their passes go into
 * one command encoder, their results into one mapped buffer (why runs: B costs the round trips of
 * one run), the batch's GPU time with them where the device has timestamps. Under the engine's
 * lock and error scopes: a GPU error or a lost device is a BroxError and no host state has changed
 * (decode runs only after the readback).
 */
export function runSessions<G>(engine: GpuEngine, items: Array<BatchItem<G>>): Promise<Array<ResidentBatch<G>>> {
  return engine.serial(() =>
    engine.scoped(async () => {
      const offsets: number[] = [];
      let total = 0;
      for (const it of items) {
        offsets.push(total);
        total += Math.ceil(it.session.readBytes(it.gens) / ALIGN) * ALIGN;
      }
      // the batch's GPU time, where the device has timestamp queries: two u64 after the results
      const timer = engine.timer;
      const stamps = total;
      if (timer) total += 16;
      const read = engine.buffer('brox.residentBatch.readback', total, GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST);
      const scratch: GPUBuffer[] = [];
      try {
        const enc = engine.device.createCommandEncoder({ label: 'brox.residentBatch' });
        timer?.begin(enc);
        // sessions that can fuse (the same key) advance as one group; the others alone
        const fused = new Set<number>();
        for (const idx of fuseGroups(items.map((it) => it.session.fuse), groupLimit(engine))) {
          const parts = idx.map((i) => items[i].session.fuse!);
          await encodeFused(engine, enc, parts, idx.map((i) => Math.min(items[i].gens, items[i].session.fuse!.batch)), idx.map((i) => items[i].firstCall), read, idx.map((i) => offsets[i]), scratch);
          for (const i of idx) fused.add(i);
        }
        items.forEach((it, i) => fused.has(i) || it.session.encode(enc, it.gens, it.firstCall, read, offsets[i]));
        timer?.end(enc, read, stamps);
        engine.submit(enc.finish());
        const bytes = await engine.readMapped(read, total);
        if (timer) engine.counts.gpuMs += GpuTimer.span(bytes, stamps);
        return items.map((it, i) => it.session.decode(bytes, offsets[i], it.gens, it.firstCall));
      } finally {
        engine.free(read, ...scratch);
      }
    }),
  );
}

/**
 * A session's close(): frees its buffers once, under the engine's lock (no batch of the session is
 * then between encoding and its readback); errors of a lost device are ignored.
 */
export function closeOnce(engine: GpuEngine, free: () => void): () => void {
  let closed = false;
  return () => {
    if (closed) return;
    closed = true;
    void engine.serial(async () => free()).catch(() => undefined);
  };
}

/** One session's batch alone (tests, benches). */
export async function runSession<G>(engine: GpuEngine, session: ResidentSession<G>, gens: number, firstCall: number): Promise<ResidentBatch<G>> {
  return (await runSessions(engine, [{ session, gens, firstCall }]))[0];
}
