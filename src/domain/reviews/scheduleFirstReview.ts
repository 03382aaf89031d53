/**
 * Creates the first open review of a use case (cycle 1) and stores its due date on the use
 * case. Idempotent: if the use case already has reviews, nothing changes. Callable when a
 * use case is proposed, when its tier changes (after reviews.deleteOpen) or by the seed.
 */
import { z } from 'zod';
import { NotFoundError, isDomainError, validationFromIssues } from '../errors';
import type { DomainContext } from '../ports';
import type { Review } from '../types';
import { cadenceFor, nextReviewDue } from './nextReviewDue';

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
  if (!cadence || existing.some((r) => !r.completedAt)) return null;

  const lastDone = existing.filter((r) => r.completedAt).sort((a, b) => b.cycle - a.cycle)[0];
  const dueAt = nextReviewDue(useCase, lastDone?.completedAt ?? useCase.lastReviewAt, ctx.policy.cadences)!;
  const review: Review = { useCaseKey: useCase.key, cycle: (lastDone?.cycle ?? 0) + 1, dueAt, tier: useCase.tier, frameworks: [...cadence.frameworks] };
  try {
    await ctx.repos.reviews.create(review);
  } catch (e) {
    if (isDomainError(e) && e.kind === 'conflict') return null; // a concurrent caller scheduled it
    throw e;
  }
  await ctx.repos.useCases.save({ ...useCase, nextReviewDue: dueAt, updatedAt: ctx.clock.now() });
  await ctx.audit({ actorId: parsed.data.actorId, action: 'review.scheduled', subject: useCase.key, data: { cycle: review.cycle, dueAt } });
  return review;
}
