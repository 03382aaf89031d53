import { z } from 'zod';
import { validationFromIssues } from '../errors';
import type { DomainContext } from '../ports';
import type { Review } from '../types';

export const listReviewsInput = z
  .object({
    /** Only open reviews already past their due date (as of the context clock). */
    overdue: z.boolean().optional(),
    /** Only open (true) or completed (false) reviews. */
    open: z.boolean().optional(),
    /** Only reviews of use cases the person proposes, owns or is named on in the RACI. */
    personId: z.string().min(1).optional(),
    useCaseKey: z.string().trim().min(1).optional(),
  })
  .default({});
export type ListReviewsInput = z.input<typeof listReviewsInput>;

export async function listReviews(ctx: DomainContext, raw: ListReviewsInput = {}): Promise<Review[]> {
  const parsed = listReviewsInput.safeParse(raw);
  if (!parsed.success) throw validationFromIssues('review.invalid', parsed.error.issues);
  const { overdue, open, personId, useCaseKey } = parsed.data;
  const reviews = await ctx.repos.reviews.list({
    useCaseKey,
    open: overdue ? true : open,
    dueBefore: overdue ? ctx.clock.now() : undefined,
  });
  // A cancelled review (its use case is reviewed no more) is neither due nor done: its history keeps it.
  const listed = reviews.filter((r) => !r.cancelledAt);
  if (!personId) return listed;
  const mine = new Set((await ctx.repos.useCases.list({ personId })).map((u) => u.key));
  return listed.filter((r) => mine.has(r.useCaseKey));
}
