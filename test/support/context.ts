/**
 * A full DomainContext on the real database for one test file, with the default playbooks,
 * a controllable clock and an event bus that records what was emitted.
 */
import type { AppContext } from '../../src/app/context';
import { buildContext } from '../../src/app/context';
import type { DomainEvent } from '../../src/domain/events';
import { InProcessEventBus } from '../../src/domain/eventBus';
import { loadPolicy } from '../../src/playbooks';
import { TestClock } from './clock';
import { useTestDatabase } from './db';

export interface TestContext {
  ctx: AppContext;
  clock: TestClock;
  events: DomainEvent[];
}

export function useTestContext(): TestContext {
  const db = useTestDatabase();
  const t = { ctx: undefined as unknown as AppContext, clock: new TestClock(), events: [] as DomainEvent[] };
  beforeAll(async () => {
    const bus = new InProcessEventBus();
    bus.on((e) => {
      t.events.push(e);
    });
    t.ctx = await buildContext({ conn: db.conn, policy: loadPolicy(), clock: t.clock, events: bus });
  });
  return t;
}
