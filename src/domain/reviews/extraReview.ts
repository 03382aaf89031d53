/**
 * Reviews that follow from a change rather than the calendar (issue 13):
 * - go-live: the open review is re-dated to count from the day the use case entered production;
 * - a model change or a substantial modification (Art. 25(1)(b) wording in the intake) of a live
 *   use case brings its open review forward to the moment of the change: an extra review, after
 *   which the cadence continues from its completion.
 * Both run as reactions keyed by their cause (`usecase:UC-3#7`) and are idempotent.
 */
import type { EventOf } from '../events';
import type { DomainContext, HistoryEntry } from '../ports';
import { updateRecord } from '../records/updateRecord';
import { ensureReview, rescheduleReview } from '../schedules/ensureReview';
import type { Review, UseCase } from '../types';
import { isOpenReview, reviewKeyOf } from './reviewRecords';

/** Stages in which the system is in use, so a change to it calls for an extra review. */
export const LIVE_STAGES: readonly string[] = ['pilot', 'production', 'continuous_improvement'];

/** The answer id that records a substantial modification (risk.yaml provider_triggers). */
const SUBSTANTIAL = 'substantial_modification';

const causeOf = (entry: HistoryEntry): string => `${entry.stream}#${entry.version}`;

export async function onGoLive(ctx: DomainContext, event: EventOf<'usecase.stage_changed'>, entry: HistoryEntry): Promise<void> {
  // Only the first entry into production through its gate is go-live (not a resume after a suspension).
  if (event.to !== 'production' || event.from === 'suspended') return;
  const uc = await ctx.repos.useCases.get(event.useCaseKey);
  if (!uc || uc.stageHistory.filter((h) => h.to === 'production').length !== 1) return;
  const review = await rescheduleReview(ctx, { useCaseKey: event.useCaseKey, actorId: event.actorId, cause: causeOf(entry) });
  if (review) await showDue(ctx, review, event.actorId, causeOf(entry));
}

/** The use case shows the open review's due date (a re-dated review would otherwise leave it stale). */
async function showDue(ctx: DomainContext, review: Review, actorId: string, cause: string): Promise<void> {
  await updateRecord(ctx, ctx.repos.useCases, review.useCaseKey, (uc) => {
    if (uc.nextReviewDue?.getTime() === review.dueAt.getTime()) return null;
    const now = ctx.clock.now();
    return {
      record: { ...uc, nextReviewDue: review.dueAt, updatedAt: now },
      change: { at: now, actorId, action: 'usecase.review_scheduled', cause, data: { cycle: review.cycle, nextReviewDue: review.dueAt } },
    };
  });
}

/** Why a change of `before` into `after` calls for an extra review, if it does. */
export function extraReviewReason(before: Pick<UseCase, 'models' | 'answers' | 'stage'>, after: Pick<UseCase, 'models' | 'answers'>): string | undefined {
  if (!LIVE_STAGES.includes(before.stage)) return undefined;
  const was = [...before.models].sort().join(', ');
  const now = [...after.models].sort().join(', ');
  if (was !== now) return `model change (${was || 'none'} → ${now || 'none'})`;
  const picked = (a: Record<string, unknown>) => ([] as unknown[]).concat(a.provider_triggers ?? []).includes(SUBSTANTIAL);
  if (!picked(before.answers) && picked(after.answers)) return 'substantial modification recorded in the intake answers';
  return undefined;
}

/** `usecase.updated` whose change data carries `extraReview`: the open review becomes due now. */
export async function onSubstantialChange(ctx: DomainContext, event: EventOf<'usecase.updated'>, entry: HistoryEntry): Promise<void> {
  const reason = typeof entry.data?.extraReview === 'string' ? entry.data.extraReview : undefined;
  if (!reason) return;
  const uc = await ctx.repos.useCases.get(event.useCaseKey);
  if (!uc) return;
  const open = (await ctx.repos.reviews.open(uc.key)) ?? (await ensureReview(ctx, { useCase: uc }));
  if (!open) return;
  const at = new Date(entry.at);
  const { record } = await updateRecord(ctx, ctx.repos.reviews, reviewKeyOf(open), (r) => {
    // Already due by then (this reaction ran before, or the calendar got there first).
    if (!isOpenReview(r) || r.dueAt.getTime() <= at.getTime()) return null;
    return {
      record: { ...r, dueAt: at },
      change: { at: ctx.clock.now(), actorId: event.actorId, action: 'review.brought_forward', cause: causeOf(entry), data: { cycle: r.cycle, dueFrom: r.dueAt, dueTo: at, reason } },
    };
  });
  if (isOpenReview(record)) await showDue(ctx, record, event.actorId, causeOf(entry));
}
