/**
 * What follows a review's change, run by src/domain/records/react.ts from the review's history
 * entry (by the writer, or by the reaction sweep if it stopped). Each is keyed by its cause
 * (`review:UC-3#2`) and checks the target's state first, so running twice writes once.
 */
import { ConflictError } from '../errors';
import type { EventOf } from '../events';
import type { DomainContext, HistoryEntry } from '../ports';
import { createRecord, updateRecord } from '../records/updateRecord';
import { rescheduleReview } from '../schedules/ensureReview';
import { closeOpenReview } from './closeOpenReview';
import { cadenceFor } from './nextReviewDue';
import { isOpenReview } from './reviewRecords';

const REVIEW_STREAM = 'review:';
const reviewKeyOfEntry = (entry: HistoryEntry): string | null => (entry.stream.startsWith(REVIEW_STREAM) ? entry.stream.slice(REVIEW_STREAM.length) : null);
const causeOf = (entry: HistoryEntry): string => `${entry.stream}#${entry.version}`;

/**
 * A completed review: the use case records when it was reviewed and when it is next due, and
 * the next cycle is opened (unique per (use case, cycle), so a second run finds it there).
 */
export async function onReviewCompleted(ctx: DomainContext, event: EventOf<'review.completed'>, entry: HistoryEntry): Promise<void> {
  const key = reviewKeyOfEntry(entry);
  const review = key ? await ctx.repos.reviews.get(key) : null;
  if (!key || !review?.completedAt) return;
  const at = review.completedAt;
  const by = review.completedBy ?? event.actorId;
  const nextDueAt = new Date(event.nextDueAt);
  const cause = `review:${key}`;
  const { record: useCase } = await updateRecord(
    ctx,
    ctx.repos.useCases,
    review.useCaseKey,
    (uc) => {
      // Already recorded (this review, or a later one).
      if (uc.lastReviewAt && uc.lastReviewAt.getTime() >= at.getTime()) return null;
      return {
        record: { ...uc, lastReviewAt: at, nextReviewDue: nextDueAt, updatedAt: at },
        change: { at, actorId: by, action: 'usecase.review_recorded', cause, data: { cycle: review.cycle, lastReviewAt: at, nextReviewDue: nextDueAt } },
      };
    },
    () => new Error(`use case ${review.useCaseKey} of review ${key} does not exist`),
  );
  const cadence = cadenceFor(useCase.tier, ctx.policy.cadences);
  if (!cadence || useCase.stage === 'retired') return;
  const next = { useCaseKey: useCase.key, cycle: review.cycle + 1, dueAt: nextDueAt, tier: useCase.tier, frameworks: [...cadence.frameworks] };
  try {
    await createRecord(ctx, () =>
      ctx.repos.reviews.create(next, { at, actorId: by, action: 'review.scheduled', cause, data: { cycle: next.cycle, dueAt: next.dueAt } }),
    );
  } catch (e) {
    if (!(e instanceof ConflictError && e.code === 'review.exists')) throw e;
  }
}

/** A first review scheduled: the use case shows when it is due (while that review is still open). */
export async function onReviewScheduled(ctx: DomainContext, event: EventOf<'review.scheduled'>, entry: HistoryEntry): Promise<void> {
  const key = reviewKeyOfEntry(entry);
  const review = key ? await ctx.repos.reviews.get(key) : null;
  if (!key || !review || !isOpenReview(review)) return;
  await updateRecord(
    ctx,
    ctx.repos.useCases,
    review.useCaseKey,
    (uc) => {
      if (uc.nextReviewDue?.getTime() === review.dueAt.getTime()) return null;
      const now = ctx.clock.now();
      return {
        record: { ...uc, nextReviewDue: review.dueAt, updatedAt: now },
        change: { at: now, actorId: event.actorId, action: 'usecase.review_scheduled', cause: `review:${key}`, data: { cycle: review.cycle, nextReviewDue: review.dueAt } },
      };
    },
    () => new Error(`use case ${review.useCaseKey} of review ${key} does not exist`),
  );
}

/** A use case re-classified: its open review moves to the new tier's cadence (or closes). */
export async function onTierChanged(ctx: DomainContext, event: EventOf<'usecase.tier_changed'>, entry: HistoryEntry): Promise<void> {
  await rescheduleReview(ctx, { useCaseKey: event.useCaseKey, actorId: event.actorId, cause: causeOf(entry) });
}

/** A use case retired: its open review will not be done, and must not count as overdue. */
export async function onRetired(ctx: DomainContext, event: EventOf<'usecase.stage_changed'>, entry: HistoryEntry): Promise<void> {
  if (event.to !== 'retired') return;
  await closeOpenReview(ctx, { useCaseKey: event.useCaseKey, actorId: event.actorId, reason: `${event.useCaseKey} was retired`, cause: causeOf(entry) });
}
