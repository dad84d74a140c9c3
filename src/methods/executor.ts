import { BroxError } from '../errors.js';
import type { Oracle } from '../oracle/types.js';
import { makeYielder } from '../yield.js';
import { compileFused } from './fused-group.js';
import { runSessions, type BatchItem } from './resident-batch.js';
import type { Run } from './run.js';

/**
 * A resident batch should come back within about this long (ms): the signal, the deadline and the
 * callback are looked at between batches, so a slow device or a large population gets fewer
 * generations per batch (measured on the previous batch), never a batch that runs for minutes.
 */
export const BATCH_MS = 1000;

/**
 * Before any batch was timed, the first one draws at most about this many evaluations over all
 * its runs (at least one generation each): it is what measures the time per generation, so it
 * must not itself be the batch that runs for minutes (a large population x 64 generations x B runs
 * on a slow adapter). On a fast GPU it costs one extra round trip.
 */
export const FIRST_BATCH_EVALS = 2 ** 20;

/**
 * The executor of minimize(): advances every run, round by round, until each has a status. On
 * WebGPU, each run whose method has a resident form that takes its state now joins the round's
 * batch — one submission and one readback for all of them (runs: B costs the round trips of one
 * run); the others take one step by step (every backend; the reference, and where a resident form
 * hands a run over: float64, restarts that do not fit, the budget's last partial generation).
 * `onEngine` is told before each round (the oracle may have replaced a lost device).
 */
export async function execute(runs: Run[], oracle: Oracle, batch: number, onEngine: () => void): Promise<void> {
  const pause = makeYielder();
  let msPerGen = 0;
  for (;;) {
    await pause();
    onEngine();
    const going = runs.filter((r) => r.going());
    if (!going.length) return;
    const engine = oracle.engine;
    const cap = msPerGen > 0 ? Math.max(1, Math.floor(BATCH_MS / msPerGen)) : batch;
    const group: Array<{ run: Run; item: BatchItem }> = [];
    for (const r of going) {
      const gens = engine ? await r.plan(engine, batch, cap) : 0;
      if (gens >= 1) group.push({ run: r, item: { session: r.session!, gens, firstCall: r.call } });
      else await r.step();
    }
    if (!group.length || !engine) continue;
    if (msPerGen === 0) {
      const perGen = group.reduce((a, g) => a + (g.item.session.work ?? g.item.session.population), 0);
      const first = Math.max(1, Math.floor(FIRST_BATCH_EVALS / perGen));
      for (const g of group) g.item.gens = Math.min(g.item.gens, first);
    }
    await compileFused(engine, group.map((g) => g.item.session.fuse));
    const ts = performance.now();
    let out;
    try {
      out = await runSessions(engine, group.map((g) => g.item));
    } catch (e) {
      // A lost device or a GPU error mid-batch: no host state changed (decode runs after the
      // readback) and no run's `call` advanced, so step by step redoes the lost generations with
      // the same RNG calls, on the oracle's new device.
      if (!(e instanceof BroxError) || !['DEVICE_LOST', 'GPU_ERROR'].includes(e.code)) throw e;
      for (const g of group) g.run.dropResident();
      continue;
    }
    const ms = performance.now() - ts;
    msPerGen = ms / Math.max(...group.map((g) => g.item.gens));
    for (let i = 0; i < group.length; i++) await group[i].run.absorb(out[i], ms / group.length);
  }
}
