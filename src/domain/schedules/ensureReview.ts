/**
 * Makes sure a use case that is reviewed has exactly one open review, due `everyDays` (by its
 * tier's cadence) after its last completed review, or after it entered the lifecycle. Creating
 * review N is inserting version 1 of `review:UC-n#N`: of two workers scheduling the same cycle
 * exactly one does, and the other finds theirs.
 */
import { ConflictError } from '../errors';
import { SYSTEM_ACTOR } from '../people/actor';
import type { DomainContext } from '../ports';
import { createRecord, updateRecord } from '../records/updateRecord';
import { closeOpenReview } from '../reviews/closeOpenReview';
import { goLiveAt, latestOf } from '../reviews/nextReviewDue';
import { isOpenReview, reviewKeyOf } from '../reviews/reviewRecords';
import type { CadenceDef } from '../policy';
import type { Review, UseCase } from '../types';
import { cadenceFor, nextReviewDueAt } from './reviewPlan';

/** Stages with nothing running to review yet, or nothing any more. */
export const UNREVIEWED_STAGES: readonly string[] = ['ideation', 'retired'];

export const isReviewed = (uc: UseCase): boolean => !UNREVIEWED_STAGES.includes(uc.stage) && uc.tier !== 'prohibited';

/** What scheduling needs; a ScheduleContext (with the outbox) is one too. */
type ReviewContext = DomainContext;

export interface EnsureReviewInput {
  useCase: UseCase;
  /** The use case's reviews when the caller has them already (a sweep loads them in bulk). */
  reviews?: Review[];
  /** Due date to use instead of the cadence (e.g. the one completeReview announced). */
  dueAt?: Date;
}

/**
 * Due `everyDays` after the later of the last review (completed, or recorded on the use case) and
 * go-live; before go-live without a review, after its creation. The first review in production
 * counts from go-live, not from the proposal (issue 13).
 */
function dueByCadence(uc: UseCase, reviews: Review[], cadence: CadenceDef): Date {
  const completed = reviews.filter((r) => r.completedAt).sort((a, b) => b.completedAt!.getTime() - a.completedAt!.getTime())[0];
  return nextReviewDueAt(latestOf(completed?.completedAt ?? uc.lastReviewAt, goLiveAt(uc)) ?? uc.createdAt, cadence);
}

/** Returns the open review (existing or created), or null when the use case is not reviewed. */
export async function ensureReview(ctx: ReviewContext, input: EnsureReviewInput): Promise<Review | null> {
  const uc = input.useCase;
  if (!isReviewed(uc)) return null;
  const cadence = cadenceFor(ctx.policy, uc.tier);
  if (!cadence) return null;
  const reviews = input.reviews ?? (await ctx.repos.reviews.list({ useCaseKey: uc.key }));
  const open = reviews.filter(isOpenReview).sort((a, b) => b.cycle - a.cycle)[0];
  if (open) return open;
  // Cancelled cycles count: a cycle number is never reused.
  const review: Review = {
    useCaseKey: uc.key,
    cycle: reviews.reduce((m, r) => Math.max(m, r.cycle), 0) + 1,
    dueAt: input.dueAt ?? dueByCadence(uc, reviews, cadence),
    tier: uc.tier,
    frameworks: [...cadence.frameworks],
  };
  try {
    const now = ctx.clock.now();
    return await createRecord(ctx, () =>
      ctx.repos.reviews.create(review, { at: now, actorId: SYSTEM_ACTOR, action: 'review.scheduled', data: { cycle: review.cycle, dueAt: review.dueAt } }),
    );
  } catch (e) {
    // Another worker scheduled the same cycle a moment ago: theirs is the open review.
    if (e instanceof ConflictError) return ctx.repos.reviews.open(uc.key);
    throw e;
  }
}

export interface RescheduleReviewInput {
  useCaseKey: string;
  actorId?: string;
  /** The change this follows (`usecase:UC-3#7`), when run as a reaction. */
  cause?: string;
}

/**
 * A tier change moves the due date: the open review gets a new version on the new cadence
 * (`review.rescheduled`), or is closed when the use case is reviewed no more. Idempotent: a
 * review already on the use case's tier and due date is left alone.
 */
export async function rescheduleReview(ctx: ReviewContext, input: RescheduleReviewInput): Promise<Review | null> {
  const uc = await ctx.repos.useCases.get(input.useCaseKey);
  if (!uc) return null;
  const actorId = input.actorId ?? SYSTEM_ACTOR;
  const cadence = isReviewed(uc) ? cadenceFor(ctx.policy, uc.tier) : undefined;
  if (!cadence) {
    await closeOpenReview(ctx, { useCaseKey: uc.key, actorId, reason: `${uc.key} is no longer reviewed (${uc.tier}, ${uc.stage})`, ...(input.cause ? { cause: input.cause } : {}) });
    return null;
  }
  const open = await ctx.repos.reviews.open(uc.key);
  if (!open) return ensureReview(ctx, { useCase: uc });
  const dueAt = dueByCadence(uc, await ctx.repos.reviews.list({ useCaseKey: uc.key }), cadence);
  const { record } = await updateRecord(ctx, ctx.repos.reviews, reviewKeyOf(open), (r) => {
    if (!isOpenReview(r) || (r.tier === uc.tier && r.dueAt.getTime() === dueAt.getTime())) return null;
    return {
      record: { ...r, tier: uc.tier, dueAt, frameworks: [...cadence.frameworks] },
      change: {
        at: ctx.clock.now(),
        actorId,
        action: 'review.rescheduled',
        data: { cycle: r.cycle, tierFrom: r.tier, tierTo: uc.tier, dueFrom: r.dueAt, dueTo: dueAt },
        ...(input.cause ? { cause: input.cause } : {}),
      },
    };
  });
  // Completed meanwhile: its successor is the open review.
  return isOpenReview(record) ? record : ensureReview(ctx, { useCase: uc });
}

/** After a review is completed: schedule the next cycle (no-op if completeReview already did). */
export async function scheduleNextReview(ctx: ReviewContext, input: { useCaseKey: string; dueAt?: Date }): Promise<Review | null> {
  const uc = await ctx.repos.useCases.get(input.useCaseKey);
  if (!uc) return null;
  return ensureReview(ctx, { useCase: uc, dueAt: input.dueAt });
}
