/** reviews [overdue], review done UC-n <link> (and the review-done form). */
import { completeReview } from '../../../domain/reviews/completeReview';
import { listReviews } from '../../../domain/reviews/listReviews';
import type { Person } from '../../../domain/types';
import { formatDay } from '../../cards/format';
import { reviewDoneFormCard } from '../../cards/forms/smallForms';
import { reviewListCard } from '../../cards/reviews';
import type { HandlerDeps } from '../deps';
import type { Reply } from '../types';

export async function listReviewsReply({ ctx }: HandlerDeps, overdueOnly: boolean, page = 1): Promise<Reply> {
  const reviews = await listReviews(ctx, overdueOnly ? { overdue: true } : { open: true });
  return { cards: [reviewListCard({ reviews, now: ctx.clock.now(), page, overdueOnly })] };
}

export async function reviewDoneForm({ ctx }: HandlerDeps, useCaseKey: string): Promise<Reply> {
  const open = await ctx.repos.reviews.open(useCaseKey);
  return { cards: [], form: reviewDoneFormCard(useCaseKey.toUpperCase(), open ? { frameworks: open.frameworks } : {}) };
}

export async function reviewDone(
  { ctx }: HandlerDeps,
  actor: Person,
  input: { useCaseKey: string; evidenceUrl: string; attestation?: string },
): Promise<Reply> {
  const attestation = input.attestation ?? `Periodic review of ${input.useCaseKey} completed by ${actor.name}; evidence at the link given.`;
  const { completed, next } = await completeReview(ctx, {
    actorId: actor.id,
    useCaseKey: input.useCaseKey,
    attestation,
    evidenceUrl: input.evidenceUrl,
  });
  return {
    cards: [
      {
        title: `Review ${completed.cycle} of ${completed.useCaseKey} recorded`,
        badge: { label: 'Done', tone: 'good' },
        fields: [
          { label: 'Evidence', value: input.evidenceUrl },
          { label: 'Next review due', value: formatDay(next.dueAt) },
        ],
        context: 'Recorded in the audit trail.',
      },
    ],
  };
}
