/**
 * Where a benchmark's time goes in the outbox: wraps a DeliveryRepository and adds up, per
 * method, the calls, the wall time spent waiting for them and the items passed. Calls of one
 * worker overlap (a dispatch pass and a sweep at once), so the sums can exceed the elapsed time.
 */
import type { DeliveryRepository } from '../../src/domain/ports';

export interface MethodTiming {
  calls: number;
  ms: number;
  items: number;
}

export function timedDeliveries(inner: DeliveryRepository): { repo: DeliveryRepository; timings: Map<string, MethodTiming> } {
  const timings = new Map<string, MethodTiming>();
  const repo = new Proxy(inner, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver);
      if (typeof value !== 'function') return value;
      return async (...args: unknown[]) => {
        const started = performance.now();
        try {
          return await value.apply(target, args);
        } finally {
          const t = timings.get(String(prop)) ?? { calls: 0, ms: 0, items: 0 };
          t.calls++;
          t.ms += performance.now() - started;
          t.items += Array.isArray(args[0]) ? args[0].length : 0;
          timings.set(String(prop), t);
        }
      };
    },
  });
  return { repo, timings };
}

/** `due 12×1,840 ms (…)`: one line per method, slowest first. */
export function formatTimings(timings: Map<string, MethodTiming>): string {
  return [...timings.entries()]
    .sort((a, b) => b[1].ms - a[1].ms)
    .map(([name, t]) => `${name} ${t.calls}× ${Math.round(t.ms).toLocaleString('en')} ms${t.items ? ` (${t.items.toLocaleString('en')} items)` : ''}`)
    .join(', ');
}
