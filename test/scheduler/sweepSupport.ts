/**
 * Shared set-up for the sweep tests: the real DomainContext (controllable clock, real database)
 * plus the real outbox, built the way test/scheduler/reviews.test.ts builds it, and small
 * readers over what the outbox holds. The sweeps read every record in the database, so each
 * test file keeps its own database and each test looks only at the keys it expects.
 */
import type { ScheduleContext } from '../../src/domain/schedules/context';
import type { Delivery } from '../../src/domain/ports';
import { createDeliveryRepository, type MongoDeliveryRepository } from '../../src/store/deliveries.repo';
import { useTestContext, type TestContext } from '../support/context';

export interface SweepTestContext extends TestContext {
  deliveries: MongoDeliveryRepository;
  sctx: ScheduleContext;
}

/** Call at the top level of a test file (after nothing else that needs the context). */
export function useSweepContext(): SweepTestContext {
  const t = useTestContext() as SweepTestContext;
  beforeAll(async () => {
    t.deliveries = createDeliveryRepository(t.ctx.conn);
    await t.deliveries.init();
    t.sctx = { ...t.ctx, deliveries: t.deliveries };
  });
  return t;
}

/** Who a delivery is for: the person id, or `#channel`. */
export const recipientOf = (d: Pick<Delivery, 'to'>): string => ('personId' in d.to ? d.to.personId : `#${d.to.channel}`);

/** Every stored delivery whose key starts with `prefix`, oldest key order (sorted, for stable comparisons). */
export async function deliveriesWith(t: SweepTestContext, prefix: string): Promise<Delivery[]> {
  const all = await t.deliveries.list({ limit: 10_000 });
  return all.filter((d) => d.key.startsWith(prefix)).sort((a, b) => a.key.localeCompare(b.key));
}

export async function keysWith(t: SweepTestContext, prefix: string): Promise<string[]> {
  return (await deliveriesWith(t, prefix)).map((d) => d.key);
}

/** Runs `step` and returns the keys (with `prefix`) it added to the outbox, sorted. */
export async function newKeys(t: SweepTestContext, prefix: string, step: () => Promise<unknown>): Promise<string[]> {
  const before = new Set(await keysWith(t, prefix));
  await step();
  return (await keysWith(t, prefix)).filter((k) => !before.has(k));
}

export const sorted = (xs: string[]): string[] => [...xs].sort((a, b) => a.localeCompare(b));
