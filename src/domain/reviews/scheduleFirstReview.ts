/**
 * Creates the first open review of a use case (cycle 1, or the next cycle after reviews that
 * were completed or cancelled). Idempotent: if the use case has an open review, nothing
 * changes, and of two callers scheduling the same cycle exactly one inserts it. The use case's
 * nextReviewDue follows from the `review.scheduled` event (src/domain/reviews/reviewReactions.ts).
 * Callable when a use case is proposed or by the seed.
 */
import { z } from 'zod';
import { NotFoundError, isDomainError, validationFromIssues } from '../errors';
import type { DomainContext } from '../ports';
import { createRecord } from '../records/updateRecord';
import type { Review } from '../types';
import { cadenceFor, nextReviewDue } from './nextReviewDue';
import { isOpenReview } from './reviewRecords';

export const scheduleFirstReviewInput = z.object({
  useCaseKey: z.string().trim().min(1),
  actorId: z.string().min(1).default('system'),
});
export type ScheduleFirstReviewInput = z.input<typeof scheduleFirstReviewInput>;

export async function scheduleFirstReview(ctx: DomainContext, raw: ScheduleFirstReviewInput): Promise<Review | null> {
  const parsed = scheduleFirstReviewInput.safeParse(raw);
  if (!parsed.success) throw validationFromIssues('review.invalid', parsed.error.issues);
  const useCase = await ctx.repos.useCases.get(parsed.data.useCaseKey);
  if (!useCase) throw new NotFoundError('usecase.not_found', `No use case ${parsed.data.useCaseKey}.`);

  const cadence = cadenceFor(useCase.tier, ctx.policy.cadences);
  const existing = await ctx.repos.reviews.list({ useCaseKey: useCase.key });
  if (!cadence || existing.some(isOpenReview)) return null;

  const lastDone = existing.filter((r) => r.completedAt).sort((a, b) => b.cycle - a.cycle)[0];
  const dueAt = nextReviewDue(useCase, lastDone?.completedAt ?? useCase.lastReviewAt, ctx.policy.cadences)!;
  // Cancelled cycles count: a cycle number is never reused.
  const cycle = existing.reduce((m, r) => Math.max(m, r.cycle), 0) + 1;
  const review: Review = { useCaseKey: useCase.key, cycle, dueAt, tier: useCase.tier, frameworks: [...cadence.frameworks] };
  const now = ctx.clock.now();
  const actorId = parsed.data.actorId;
  try {
    return await createRecord(ctx, () =>
      ctx.repos.reviews.create(review, {
        at: now,
        actorId,
        action: 'review.scheduled',
        data: { cycle, dueAt },
        events: [{ type: 'review.scheduled', at: now, actorId, useCaseKey: useCase.key, cycle, dueAt }],
      }),
    );
  } catch (e) {
    if (isDomainError(e) && e.kind === 'conflict') return null; // a concurrent caller scheduled it
    throw e;
  }
}
