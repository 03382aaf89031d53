/**
 * The demo seed replays nine months of an organisation's life through the domain operations:
 * it runs them on a copy of the context whose clock the seed sets before each step, and whose
 * audit lines and reactions (review re-dating, advance on approval ...) read that same clock,
 * so every history entry carries the moment it describes and the trail stays one valid chain.
 * The application's own context (and its clock) is left untouched.
 */
import { appendAudit } from '../domain/audit/appendAudit';
import type { Clock, DomainContext } from '../domain/ports';
import { react } from '../domain/records/react';

export class SeedClock implements Clock {
  private current: Date;
  constructor(start: Date) {
    this.current = new Date(start);
  }
  now(): Date {
    return new Date(this.current);
  }
  /** Moves to `at`; never backwards, so the trail's times only grow. */
  set(at: Date): void {
    if (at.getTime() > this.current.getTime()) this.current = new Date(at);
  }
}

export function withClock(ctx: DomainContext, clock: Clock): DomainContext {
  const seedCtx: DomainContext = {
    ...ctx,
    clock,
    audit: async (entry) => {
      const stored = await appendAudit({ repo: ctx.repos.audit, clock }, entry);
      await seedCtx.react(stored);
      return stored;
    },
    // A failed consequence stops the seed: the next start resumes it (and the reaction sweep retries the entry).
    react: async (entry) => {
      const outcome = await react(seedCtx, entry, { markDone: true });
      if (outcome.errors.length) throw outcome.errors[0];
    },
  };
  return seedCtx;
}
