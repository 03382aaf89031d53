/**
 * Makes sure a use case that is reviewed has exactly one open review, due `everyDays` (by its
 * tier's cadence) after its last completed review, or after it entered the lifecycle.
 */
import { ConflictError } from '../errors';
import type { Review, UseCase } from '../types';
import type { ScheduleContext } from './context';
import { cadenceFor, nextReviewDueAt } from './reviewPlan';

/** Stages with nothing running to review yet, or nothing any more. */
export const UNREVIEWED_STAGES: readonly string[] = ['ideation', 'retired'];

export const isReviewed = (uc: UseCase): boolean => !UNREVIEWED_STAGES.includes(uc.stage) && uc.tier !== 'prohibited';

export interface EnsureReviewInput {
  useCase: UseCase;
  /** The use case's reviews when the caller has them already (a sweep loads them in bulk). */
  reviews?: Review[];
  /** Due date to use instead of the cadence (e.g. the one completeReview announced). */
  dueAt?: Date;
}

/** Returns the open review (existing or created), or null when the use case is not reviewed. */
export async function ensureReview(ctx: ScheduleContext, input: EnsureReviewInput): Promise<Review | null> {
  const uc = input.useCase;
  if (!isReviewed(uc)) return null;
  const cadence = cadenceFor(ctx.policy, uc.tier);
  if (!cadence) return null;
  const reviews = input.reviews ?? (await ctx.repos.reviews.list({ useCaseKey: uc.key }));
  const open = reviews.filter((r) => !r.completedAt).sort((a, b) => b.cycle - a.cycle)[0];
  if (open) return open;
  const completed = reviews.filter((r) => r.completedAt).sort((a, b) => b.completedAt!.getTime() - a.completedAt!.getTime())[0];
  const from = completed?.completedAt ?? uc.lastReviewAt ?? uc.createdAt;
  const review: Review = {
    useCaseKey: uc.key,
    cycle: reviews.reduce((m, r) => Math.max(m, r.cycle), 0) + 1,
    dueAt: input.dueAt ?? nextReviewDueAt(from, cadence),
    tier: uc.tier,
    frameworks: [...cadence.frameworks],
  };
  try {
    return await ctx.repos.reviews.create(review);
  } catch (e) {
    // Another worker scheduled the same cycle a moment ago: theirs is the open review.
    if (e instanceof ConflictError) return ctx.repos.reviews.open(uc.key);
    throw e;
  }
}

/** A tier change moves the due date: the open review is replaced by one on the new cadence. */
export async function rescheduleReview(ctx: ScheduleContext, input: { useCaseKey: string }): Promise<Review | null> {
  const uc = await ctx.repos.useCases.get(input.useCaseKey);
  if (!uc) return null;
  await ctx.repos.reviews.deleteOpen(uc.key);
  return ensureReview(ctx, { useCase: uc });
}

/** After a review is completed: schedule the next cycle (no-op if completeReview already did). */
export async function scheduleNextReview(ctx: ScheduleContext, input: { useCaseKey: string; dueAt?: Date }): Promise<Review | null> {
  const uc = await ctx.repos.useCases.get(input.useCaseKey);
  if (!uc) return null;
  return ensureReview(ctx, { useCase: uc, dueAt: input.dueAt });
}
