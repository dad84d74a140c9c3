/**
 * Long loops on the calling thread give the event loop a turn every ~20 ms, so AbortSignals,
 * timers and other requests (serve) are not starved by small synchronous steps.
 */
export function makeYielder(everyMs = 20): () => Promise<void> {
  let last = performance.now();
  return async () => {
    const now = performance.now();
    if (now - last < everyMs) return;
    await new Promise<void>((r) => setTimeout(r, 0));
    last = performance.now();
  };
}
