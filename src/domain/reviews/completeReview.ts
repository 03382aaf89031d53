/**
 * Records a completed periodic review: the attestation and its evidence, as the review's next
 * version. Completing is decided on the version written on, so when several people press the
 * button at once exactly one completes it and the others are told it already was. What follows
 * (the use case's lastReviewAt / nextReviewDue, the next open review) is the reaction to
 * `review.completed` (src/domain/reviews/reviewReactions.ts).
 */
import { z } from 'zod';
import { ConflictError, ForbiddenError, NotFoundError, isDomainError, validationFromIssues } from '../errors';
import type { Change, DomainContext } from '../ports';
import type { Review, UseCase } from '../types';
import { requireActor as loadActor } from '../people/actor';
import { createRecord, updateRecord } from '../records/updateRecord';
import { httpUrl } from '../registry/schemas';
import { mayCompleteReview } from './access';
import { cadenceFor, nextReviewDue } from './nextReviewDue';
import { reviewKeyOf, reviewRecordKey } from './reviewRecords';

export const completeReviewInput = z.object({
  actorId: z.string().min(1),
  useCaseKey: z.string().trim().min(1),
  attestation: z.string().trim().min(10, 'write what was reviewed (at least 10 characters)').max(5_000),
  evidenceUrl: httpUrl,
  /** The review the person is recording (as shown to them); absent: the one open now. */
  cycle: z.number().int().positive().optional(),
});
export type CompleteReviewInput = z.input<typeof completeReviewInput>;

export interface CompleteReviewResult {
  completed: Review;
  next: Review;
}

const alreadyCompleted = (r: Review) => new ConflictError('review.already_completed', `Review ${r.cycle} of ${r.useCaseKey} was already completed.`);

export async function completeReview(ctx: DomainContext, raw: CompleteReviewInput): Promise<CompleteReviewResult> {
  const parsed = completeReviewInput.safeParse(raw);
  if (!parsed.success) throw validationFromIssues('review.invalid', parsed.error.issues);
  const input = parsed.data;
  const actor = await loadActor(ctx, input.actorId);
  const useCase = await ctx.repos.useCases.get(input.useCaseKey);
  if (!useCase) throw new NotFoundError('usecase.not_found', `No use case ${input.useCaseKey}.`);
  if (!mayCompleteReview(actor, useCase)) {
    throw new ForbiddenError(
      'review.forbidden',
      `Only the owner of ${useCase.key}, the Responsible or Accountable for safety & compliance, or AI governance & legal may complete its review.`,
    );
  }
  const cadence = cadenceFor(useCase.tier, ctx.policy.cadences);
  if (!cadence) throw new ConflictError('review.no_cadence', `${useCase.key} is ${useCase.tier}: it has no review cadence.`);

  const now = ctx.clock.now();
  const nextDueAt = nextReviewDue(useCase, now, ctx.policy.cadences)!;
  const complete = (r: Review): { record: Review; change: Change } => ({
    record: { ...r, completedAt: now, completedBy: actor.id, attestation: input.attestation, evidenceUrl: input.evidenceUrl },
    change: {
      at: now,
      actorId: actor.id,
      action: 'review.completed',
      data: { cycle: r.cycle, dueAt: r.dueAt, late: now > r.dueAt, evidenceUrl: input.evidenceUrl, nextDueAt },
      events: [{ type: 'review.completed', at: now, actorId: actor.id, useCaseKey: useCase.key, nextDueAt }],
    },
  });

  const completed = await completeOne(ctx, useCase, input.cycle, complete);
  const planned: Review = { useCaseKey: useCase.key, cycle: completed.cycle + 1, dueAt: nextDueAt, tier: useCase.tier, frameworks: [...cadence.frameworks] };
  // Scheduled by the reaction that ran with the write (or, if it failed, by the sweep soon).
  const next = (await ctx.repos.reviews.get(reviewKeyOf(planned))) ?? planned;
  return { completed, next };
}

/**
 * Completes the review the person means: the cycle they name, else the one open when they
 * asked. That target is fixed at the first read, so of people pressing at once the first to
 * write completes it and the others find it completed and are told so. (Without a cycle, a
 * request that starts only after another has finished completes the next cycle, as it should.)
 */
async function completeOne(
  ctx: DomainContext,
  useCase: UseCase,
  cycle: number | undefined,
  complete: (r: Review) => { record: Review; change: Change },
): Promise<Review> {
  const finish = async (key: string): Promise<Review> => {
    const { record } = await updateRecord(ctx, ctx.repos.reviews, key, (r) => {
      if (r.completedAt) throw alreadyCompleted(r);
      if (r.cancelledAt) throw new ConflictError('review.cancelled', `Review ${r.cycle} of ${r.useCaseKey} was cancelled: ${r.cancelReason ?? 'no longer due'}.`);
      return complete(r);
    });
    return record;
  };
  if (cycle) {
    const key = reviewRecordKey(useCase.key, cycle);
    if (!(await ctx.repos.reviews.get(key))) throw new NotFoundError('review.not_found', `${useCase.key} has no review ${cycle}.`);
    return finish(key);
  }
  const open = await ctx.repos.reviews.open(useCase.key);
  if (open) return finish(reviewKeyOf(open));

  // Nothing open. The latest review, as the history has it (lists may lag a moment behind).
  const all = await ctx.repos.reviews.list({ useCaseKey: useCase.key });
  const next = all.reduce((m, r) => Math.max(m, r.cycle), 0) + 1;
  for (let c = next - 1; c > 0; c--) {
    const r = await ctx.repos.reviews.get(reviewRecordKey(useCase.key, c));
    if (r?.cancelledAt) continue;
    // Completed a moment ago by someone else (its successor is being scheduled): say so.
    if (r?.completedAt) throw alreadyCompleted(r);
    break;
  }
  // None was ever scheduled (a use case from before reviews existed): record the one being done.
  const review: Review = {
    useCaseKey: useCase.key,
    cycle: next,
    dueAt: nextReviewDue(useCase, useCase.lastReviewAt, ctx.policy.cadences)!,
    tier: useCase.tier,
    frameworks: [...cadenceFor(useCase.tier, ctx.policy.cadences)!.frameworks],
  };
  const done = complete(review);
  try {
    return await createRecord(ctx, () => ctx.repos.reviews.create(done.record, done.change));
  } catch (e) {
    // A scheduler opened that cycle at the same moment: complete it (or learn it was completed).
    if (!(isDomainError(e) && e.code === 'review.exists')) throw e;
    return finish(reviewKeyOf(review));
  }
}
