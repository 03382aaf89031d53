/** Periodic reviews that are due or overdue, each with a button to record it as done. */
import type { Review } from '../../domain/types';
import { OPEN_REVIEW_DONE_ACTION_ID, PAGE_ACTION_ID, SHOW_USE_CASE_ACTION_ID } from '../actions';
import { formatDay, relative, tierLabel } from './format';
import { pageOf } from './model';
import type { Card } from './model';

export const REVIEWS_PER_PAGE = 10;

export interface ReviewListInput {
  reviews: readonly Review[];
  now: Date;
  page: number;
  overdueOnly: boolean;
  perPage?: number;
}

export function reviewListCard({ reviews, now, page, overdueOnly, perPage = REVIEWS_PER_PAGE }: ReviewListInput): Card {
  const title = overdueOnly ? 'Overdue reviews' : 'Reviews due';
  if (reviews.length === 0) return { title, text: overdueOnly ? 'No review is overdue.' : 'No reviews are open.' };
  const sorted = [...reviews].sort((a, b) => a.dueAt.getTime() - b.dueAt.getTime());
  const overdue = sorted.filter((r) => !r.completedAt && r.dueAt.getTime() < now.getTime()).length;
  const slice = pageOf(sorted, page, perPage);
  return {
    title: `${title} (${reviews.length})`,
    ...(overdue ? { badge: { label: `${overdue} overdue`, tone: 'danger' as const } } : {}),
    sections: slice.items.map((r) => {
      const late = !r.completedAt && r.dueAt.getTime() < now.getTime();
      return {
        title: `${r.useCaseKey} · review ${r.cycle}`,
        badge: r.completedAt ? { label: 'Done', tone: 'good' as const } : late ? { label: 'Overdue', tone: 'danger' as const } : { label: 'Due', tone: 'warning' as const },
        text: `${tierLabel(r.tier)} · due ${formatDay(r.dueAt)} (${relative(r.dueAt, now)})${r.frameworks.length ? ` · ${r.frameworks.join(', ')}` : ''}`,
        buttons: r.completedAt
          ? [{ label: 'Use case', actionId: SHOW_USE_CASE_ACTION_ID, value: r.useCaseKey }]
          : [
              { label: 'Record review', actionId: OPEN_REVIEW_DONE_ACTION_ID, value: r.useCaseKey, style: 'primary' as const },
              { label: 'Use case', actionId: SHOW_USE_CASE_ACTION_ID, value: r.useCaseKey },
            ],
      };
    }),
    ...(slice.pages > 1
      ? { pagination: { page: slice.page, pages: slice.pages, actionId: PAGE_ACTION_ID, value: { list: 'reviews', page: slice.page, ...(overdueOnly ? { filter: 'overdue' } : {}) } } }
      : {}),
  };
}
