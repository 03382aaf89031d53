/**
 * Consequences of a stored change. Every change that has any carries them as events in its
 * history entry, so they are derived from a durable record: run right after the write by the
 * writer (fast path) and, if that process died or a step failed, by sweepReactions later.
 * Each consequence is idempotent and keyed by its cause (a reaction checks the target record's
 * history for it; notifications have deterministic outbox keys), so running twice does nothing.
 */
import type { DomainEvent } from '../events';
import type { DomainContext, HistoryEntry } from '../ports';
import { advanceOnApproval } from '../approvals/advanceOnApproval';
import { cancelPendingFor } from '../approvals/cancelApproval';
import { suspendOnKillSwitch } from '../incidents/killSwitch';
import { openEvalIncident } from '../evals/openEvalIncident';
import { onRetired, onReviewCompleted, onReviewScheduled, onTierChanged } from '../reviews/reviewReactions';
import { onGoLive, onSubstantialChange } from '../reviews/extraReview';

type Reaction = (ctx: DomainContext, event: DomainEvent, entry: HistoryEntry) => Promise<void>;

/** Cross-record consequences by event type; subscribers of the event bus (notifications) come after. */
const REACTIONS: Partial<Record<DomainEvent['type'], Reaction>> = {
  'approval.decided': (ctx, event) => (event.type === 'approval.decided' && event.status === 'approved' ? advanceOnApproval(ctx, event.approvalKey) : Promise.resolve()),
  // A use case taken out of service cannot be advanced behind the switch by a pending request.
  'usecase.stage_changed': async (ctx, event, entry) => {
    if (event.type !== 'usecase.stage_changed') return;
    // Going live: the first review in production counts from today, not from the proposal.
    if (event.to === 'production') return onGoLive(ctx, event, entry);
    if (event.to !== 'suspended' && event.to !== 'retired') return;
    await cancelPendingFor(ctx, event.useCaseKey, event.actorId, `${event.useCaseKey} was ${event.to}.`);
    // A retired use case is reviewed no more: its open review is closed (never counted overdue).
    await onRetired(ctx, event, entry);
  },
  // The kill switch, pulled when reporting or later, suspends the incident's use case (once, keyed by the incident).
  'incident.reported': (ctx, _event, entry) => suspendOnKillSwitch(ctx, entry),
  'incident.updated': (ctx, _event, entry) => suspendOnKillSwitch(ctx, entry),
  // A failed evaluation opens the incident its thresholds ask for (once per run, cause eval:<runId>).
  'eval.failed': (ctx, event, entry) => (event.type === 'eval.failed' ? openEvalIncident(ctx, event, entry) : Promise.resolve()),
  // A completed review: the use case's lastReviewAt/nextReviewDue, and the next cycle (cause review:<key>).
  'review.completed': (ctx, event, entry) => (event.type === 'review.completed' ? onReviewCompleted(ctx, event, entry) : Promise.resolve()),
  'review.scheduled': (ctx, event, entry) => (event.type === 'review.scheduled' ? onReviewScheduled(ctx, event, entry) : Promise.resolve()),
  // A re-classified use case: its open review moves to the new tier's cadence.
  'usecase.tier_changed': (ctx, event, entry) => (event.type === 'usecase.tier_changed' ? onTierChanged(ctx, event, entry) : Promise.resolve()),
  // A live use case's model changed or it was substantially modified: its open review is due now.
  'usecase.updated': (ctx, event, entry) => (event.type === 'usecase.updated' ? onSubstantialChange(ctx, event, entry) : Promise.resolve()),
};

export interface ReactionOutcome {
  ok: boolean;
  errors: unknown[];
}

/** `markDone: false` leaves the entry for the sweep of a process that delivers its events. */
export async function react(ctx: DomainContext, entry: HistoryEntry, opts: { markDone?: boolean } = {}): Promise<ReactionOutcome> {
  if (!entry.events.length) return { ok: true, errors: [] };
  const errors: unknown[] = [];
  for (const event of entry.events) {
    const reaction = REACTIONS[event.type];
    if (reaction) {
      try {
        await reaction(ctx, event, entry);
      } catch (e) {
        errors.push(e);
      }
    }
    const failures = await ctx.events.emit(event);
    if (failures) errors.push(new Error(`${failures} subscriber(s) failed on ${event.type}`));
  }
  if (!errors.length && opts.markDone !== false) await ctx.repos.audit.markReacted(entry, ctx.clock.now());
  return { ok: errors.length === 0, errors };
}
