/**
 * Closes the open review of a use case that is reviewed no more (retired, or re-classified as
 * prohibited): a new version with `cancelledAt`, audited as `review.cancelled`. It replaces
 * deleting the review, so its history stays and nothing is lost to a concurrent completion:
 * a review completed meanwhile stays completed.
 */
import type { Change, DomainContext } from '../ports';
import { updateRecord } from '../records/updateRecord';
import type { Review } from '../types';
import { isOpenReview, reviewKeyOf } from './reviewRecords';

export interface CloseOpenReviewInput {
  useCaseKey: string;
  actorId: string;
  reason: string;
  /** The change this follows (`usecase:UC-3#7`), when run as a reaction. */
  cause?: string;
}

/** Returns the reviews it closed (none when nothing was open). */
export async function closeOpenReview(ctx: DomainContext, input: CloseOpenReviewInput): Promise<Review[]> {
  const closed: Review[] = [];
  // Normally one; a database from before reviews were versioned may hold more.
  for (let i = 0; i < 10; i++) {
    const open = await ctx.repos.reviews.open(input.useCaseKey);
    if (!open) break;
    const { record } = await updateRecord(ctx, ctx.repos.reviews, reviewKeyOf(open), (r) => {
      if (!isOpenReview(r)) return null;
      const now = ctx.clock.now();
      const change: Change = {
        at: now,
        actorId: input.actorId,
        action: 'review.cancelled',
        data: { cycle: r.cycle, dueAt: r.dueAt, reason: input.reason },
        ...(input.cause ? { cause: input.cause } : {}),
      };
      return { record: { ...r, cancelledAt: now, cancelledBy: input.actorId, cancelReason: input.reason }, change };
    });
    if (record.cancelledAt) closed.push(record);
  }
  return closed;
}
