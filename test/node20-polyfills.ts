// vitest 5 calls Map.groupBy (Node >= 21) when it reports failures; Node 20 lacks it and the
// failure report itself would crash. Loaded from vite.config.ts so it runs in vitest's main process.
if (typeof (Map as { groupBy?: unknown }).groupBy !== 'function') {
  Object.defineProperty(Map, 'groupBy', {
    configurable: true,
    writable: true,
    value<K, V>(items: Iterable<V>, key: (item: V, index: number) => K): Map<K, V[]> {
      const m = new Map<K, V[]>();
      let i = 0;
      for (const item of items) {
        const k = key(item, i++);
        const list = m.get(k);
        if (list) list.push(item);
        else m.set(k, [item]);
      }
      return m;
    },
  });
}
if (typeof (Object as { groupBy?: unknown }).groupBy !== 'function') {
  Object.defineProperty(Object, 'groupBy', {
    configurable: true,
    writable: true,
    value<V>(items: Iterable<V>, key: (item: V, index: number) => PropertyKey): Record<PropertyKey, V[]> {
      const o: Record<PropertyKey, V[]> = Object.create(null);
      let i = 0;
      for (const item of items) (o[key(item, i++)] ??= []).push(item);
      return o;
    },
  });
}
export {};
