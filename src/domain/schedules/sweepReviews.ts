/**
 * The review cadence sweep: schedules missing reviews, reminds the Responsible before, on and
 * after the due date, and escalates an overdue review to the Accountable and then to the AI
 * CoE channel. Every message has a deterministic key, so running the sweep twice (or on two
 * workers) queues each message once.
 */
import type { OutboundMessage } from '../ports';
import type { Review, UseCase } from '../types';
import { enqueueAll, notice, type ScheduleContext } from './context';
import { isoDay } from './dates';
import { SYSTEM_ACTOR } from '../people/actor';
import { closeOpenReview } from '../reviews/closeOpenReview';
import { isOpenReview } from '../reviews/reviewRecords';
import { ensureReview, isReviewed } from './ensureReview';
import { reviewAccountableIds, reviewResponsibleIds } from './recipients';
import { cadenceFor, escalationSlots, reminderSlot, type ReviewSlot } from './reviewPlan';

export interface SweepReviewsResult {
  /** Reviews created by this sweep. */
  scheduled: number;
  /** Messages newly queued. */
  queued: number;
}

/** Key of one review reminder: the due date is in it, so a rescheduled review starts afresh. */
export const reviewKey = (r: Review, slot: string, to: string): string =>
  `review.${slot}:${r.useCaseKey}#${r.cycle}@${isoDay(r.dueAt)}:${to}`;

function messagesFor(uc: UseCase, review: Review, slots: ReviewSlot[]): OutboundMessage[] {
  const out: OutboundMessage[] = [];
  const due = isoDay(review.dueAt);
  const fields = [
    { label: 'Use case', value: `${uc.key} · ${uc.title}` },
    { label: 'Due', value: due },
    { label: 'Frameworks', value: review.frameworks.join(', ') || '—' },
  ];
  for (const slot of slots) {
    const lateBy = `${slot.day} day${slot.day === 1 ? '' : 's'}`;
    if (slot.kind === 'escalate_coe') {
      const text = `Review of ${uc.key} is ${lateBy} overdue (due ${due}); escalated to the AI CoE.`;
      out.push({ key: reviewKey(review, slot.id, 'coe'), to: { channel: 'coe' }, text, card: notice(`${uc.key} review overdue`, text, fields) });
      continue;
    }
    const escalation = slot.kind === 'escalate_accountable';
    const ids = escalation ? reviewAccountableIds(uc) : reviewResponsibleIds(uc);
    const text =
      slot.kind === 'before'
        ? `Review of ${uc.key} is due in ${-slot.day} day${slot.day === -1 ? '' : 's'} (${due}). Reply "review done ${uc.key}" when it is complete.`
        : slot.kind === 'due'
          ? `Review of ${uc.key} is due today (${due}). Reply "review done ${uc.key}" when it is complete.`
          : escalation
            ? `Review of ${uc.key} is ${lateBy} overdue (due ${due}); you are Accountable. Please make sure it is completed.`
            : `Review of ${uc.key} is ${lateBy} overdue (due ${due}). Reply "review done ${uc.key}" when it is complete.`;
    for (const personId of ids) {
      out.push({ key: reviewKey(review, slot.id, personId), to: { personId }, text, card: notice(`${uc.key} review`, text, fields) });
    }
  }
  return out;
}

/** One pass over every reviewed use case at the context clock's time. */
export async function sweepReviews(ctx: ScheduleContext): Promise<SweepReviewsResult> {
  const now = ctx.clock.now();
  const [useCases, reviews] = await Promise.all([ctx.repos.useCases.list(), ctx.repos.reviews.list()]);
  const byUseCase = new Map<string, Review[]>();
  for (const r of reviews) byUseCase.set(r.useCaseKey, [...(byUseCase.get(r.useCaseKey) ?? []), r]);
  const result: SweepReviewsResult = { scheduled: 0, queued: 0 };
  const messages: OutboundMessage[] = [];
  for (const uc of useCases) {
    if (!isReviewed(uc)) {
      // Left open on a use case reviewed no more (its next cycle was opened as it was retired): close it.
      if ((uc.stage === 'retired' || uc.tier === 'prohibited') && (byUseCase.get(uc.key.toUpperCase()) ?? []).some(isOpenReview)) {
        await closeOpenReview(ctx, { useCaseKey: uc.key, actorId: SYSTEM_ACTOR, reason: `${uc.key} is ${uc.stage === 'retired' ? 'retired' : 'prohibited'}` });
      }
      continue;
    }
    const cadence = cadenceFor(ctx.policy, uc.tier);
    if (!cadence) continue;
    const mine = byUseCase.get(uc.key.toUpperCase()) ?? [];
    const hadOpen = mine.some(isOpenReview);
    const review = await ensureReview(ctx, { useCase: uc, reviews: mine });
    if (!review) continue;
    if (!hadOpen) result.scheduled++;
    const reminder = reminderSlot(review.dueAt, cadence, now);
    const slots = [...(reminder ? [reminder] : []), ...escalationSlots(review.dueAt, cadence, now)];
    if (slots.length) messages.push(...messagesFor(uc, review, slots));
  }
  // One batch: a sweep over thousands of use cases is a handful of inserts, not thousands.
  result.queued = await enqueueAll(ctx, messages);
  return result;
}
