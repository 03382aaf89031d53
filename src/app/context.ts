/**
 * Builds the DomainContext every operation receives: repositories on one connection, the
 * policy from the playbooks, a clock, the event bus, the audit appender and the reactions
 * that run a committed change's consequences.
 */
import type { Connection } from 'mongoose';
import { appendAudit } from '../domain/audit/appendAudit';
import { InProcessEventBus } from '../domain/eventBus';
import type { Policy } from '../domain/policy';
import type { Clock, DomainContext, EventBus, HistoryEntry, Repositories } from '../domain/ports';
import { react } from '../domain/records/react';
import { createRepositories, ensureIndexes } from '../store';
import { migrateToHistory, type MigrationReport } from '../store/migrate';
import { reportSwallowed } from '../observability/swallowed';

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
  /** Key of the audit trail's HMAC chain and checkpoints (config AUDIT_SIGNING_KEY). */
  auditSigningKey?: string;
  /** Told about consequences that failed after a write; the reaction sweep retries them. */
  onReactionError?: (err: unknown, entry: HistoryEntry) => void;
  /** Told what the start-up migration did (only when it did something). */
  onMigrated?: (report: MigrationReport) => void;
  /**
   * For processes that route no events to the outbox (the CLIs): run the domain's reactions
   * but leave each change marked pending, so a worker's sweep queues its notifications.
   */
  leaveNotificationsToWorker?: boolean;
}): Promise<AppContext> {
  const repos = opts.repos ?? createRepositories(opts.conn, { auditSigningKey: opts.auditSigningKey });
  await ensureIndexes(opts.conn);
  const migration = await migrateToHistory(opts.conn, repos);
  if (Object.keys(migration.migrated).length || migration.legacyAudit || migration.reprojected) opts.onMigrated?.(migration);
  const clock = opts.clock ?? systemClock;
  const ctx: AppContext = {
    conn: opts.conn,
    repos,
    clock,
    // A failing subscriber never fails the operation that emitted; it is logged and counted.
    events: opts.events ?? new InProcessEventBus((err, event) => reportSwallowed('event_bus', err, { event: event.type })),
    policy: opts.policy,
    audit: async (entry) => {
      const stored = await appendAudit({ repo: repos.audit, clock }, entry);
      await ctx.react(stored);
      return stored;
    },
    // The change is stored: a failing consequence is reported, never thrown at the person who made it.
    react: async (entry) => {
      const outcome = await react(ctx, entry, { markDone: !opts.leaveNotificationsToWorker }).catch((e: unknown) => ({ ok: false, errors: [e] }));
      for (const e of outcome.errors) opts.onReactionError?.(e, entry);
    },
  };
  return ctx;
}
