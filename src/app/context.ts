/**
 * Builds the DomainContext every operation receives: repositories on one connection, the
 * policy from the playbooks, a clock, the event bus and the audit appender.
 */
import type { Connection } from 'mongoose';
import { appendAudit } from '../domain/audit/appendAudit';
import { InProcessEventBus } from '../domain/eventBus';
import type { Policy } from '../domain/policy';
import type { Clock, DomainContext, EventBus, Repositories } from '../domain/ports';
import { createRepositories, ensureIndexes } from '../store';

export const systemClock: Clock = { now: () => new Date() };

export interface AppContext extends DomainContext {
  conn: Connection;
}

export async function buildContext(opts: {
  conn: Connection;
  policy: Policy;
  clock?: Clock;
  events?: EventBus;
  repos?: Repositories;
}): Promise<AppContext> {
  const repos = opts.repos ?? createRepositories(opts.conn);
  await ensureIndexes(opts.conn);
  const clock = opts.clock ?? systemClock;
  return {
    conn: opts.conn,
    repos,
    clock,
    events: opts.events ?? new InProcessEventBus(),
    policy: opts.policy,
    audit: (entry) => appendAudit({ repo: repos.audit, clock }, entry),
  };
}
