/**
 * Records a completed periodic review: the attestation and its evidence, the next due date
 * (from today, by the tier's cadence) and the next open review. A claim on
 * (use case, cycle) makes completion exactly-once when two people press the button.
 */
import { z } from 'zod';
import { ConflictError, ForbiddenError, NotFoundError, validationFromIssues } from '../errors';
import type { DomainContext } from '../ports';
import type { Review } from '../types';
import { requireActor as loadActor } from '../people/actor';
import { httpUrl } from '../registry/schemas';
import { mayCompleteReview } from './access';
import { cadenceFor, nextReviewDue } from './nextReviewDue';

export const completeReviewInput = z.object({
  actorId: z.string().min(1),
  useCaseKey: z.string().trim().min(1),
  attestation: z.string().trim().min(10, 'write what was reviewed (at least 10 characters)').max(5_000),
  evidenceUrl: httpUrl,
});
export type CompleteReviewInput = z.input<typeof completeReviewInput>;

export interface CompleteReviewResult {
  completed: Review;
  next: Review;
}

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
  let open = await ctx.repos.reviews.open(useCase.key);
  if (!open) {
    // No review was scheduled (e.g. a use case from before reviews existed): create the one being done.
    const all = await ctx.repos.reviews.list({ useCaseKey: useCase.key });
    const cycle = Math.max(0, ...all.map((r) => r.cycle)) + 1;
    const dueAt = nextReviewDue(useCase, useCase.lastReviewAt, ctx.policy.cadences)!;
    open = { useCaseKey: useCase.key, cycle, dueAt, tier: useCase.tier, frameworks: [...cadence.frameworks] };
    await ctx.repos.reviews.create(open);
  }
  if (!(await ctx.repos.claims.claim(`review.complete:${useCase.key}#${open.cycle}`, { by: actor.id }))) {
    throw new ConflictError('review.already_completed', `Review ${open.cycle} of ${useCase.key} was already completed.`);
  }

  const completed = await ctx.repos.reviews.save({
    ...open,
    completedAt: now,
    completedBy: actor.id,
    attestation: input.attestation,
    evidenceUrl: input.evidenceUrl,
  });
  const nextDueAt = nextReviewDue(useCase, now, ctx.policy.cadences)!;
  const next = await ctx.repos.reviews.create({
    useCaseKey: useCase.key,
    cycle: open.cycle + 1,
    dueAt: nextDueAt,
    tier: useCase.tier,
    frameworks: [...cadence.frameworks],
  });
  await ctx.repos.useCases.save({ ...useCase, lastReviewAt: now, nextReviewDue: nextDueAt, updatedAt: now });
  await ctx.audit({
    actorId: actor.id,
    action: 'review.completed',
    subject: useCase.key,
    data: { cycle: open.cycle, dueAt: open.dueAt, late: now > open.dueAt, evidenceUrl: input.evidenceUrl, nextDueAt },
  });
  await ctx.events.emit({ type: 'review.completed', at: now, actorId: actor.id, useCaseKey: useCase.key, nextDueAt });
  return { completed, next };
}
