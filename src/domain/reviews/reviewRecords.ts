/** How a review is named in the store and when it counts as open: shared by the store and the domain. */
import type { Review } from '../types';

/** `UC-3#2`: the record key of cycle 2 of UC-3; its first version is the (use case, cycle) claim. */
export const reviewRecordKey = (useCaseKey: string, cycle: number): string => `${useCaseKey.trim().toUpperCase()}#${cycle}`;

export const reviewKeyOf = (r: Pick<Review, 'useCaseKey' | 'cycle'>): string => reviewRecordKey(r.useCaseKey, r.cycle);

/** Neither completed nor cancelled: the review people still have to do. */
export const isOpenReview = (r: Pick<Review, 'completedAt' | 'cancelledAt'>): boolean => !r.completedAt && !r.cancelledAt;
