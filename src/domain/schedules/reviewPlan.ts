/**
 * When a review is due and who is told when: pure functions of (due date, cadence, now).
 * The Responsible gets the latest reminder that has come due (remindBeforeDays before, on the
 * due date, then daily while overdue): catching up after a missed sweep sends one reminder,
 * not a backlog. Escalations fire once each, when their day is reached.
 */
import type { CadenceDef, Policy } from '../policy';
import type { RiskTier } from '../types';
import { DAY_MS, addDays } from './dates';

export type ReviewSlotKind = 'before' | 'due' | 'overdue' | 'escalate_accountable' | 'escalate_coe';

export interface ReviewSlot {
  kind: ReviewSlotKind;
  /** Days relative to the due date (negative before it). */
  day: number;
  at: Date;
  /** Stable part of the delivery key. */
  id: string;
}

export function cadenceFor(policy: Policy, tier: RiskTier): CadenceDef | undefined {
  return policy.cadences.find((c) => c.tier === tier);
}

/** The next review is due `everyDays` after the last completed one (or after `from`). */
export const nextReviewDueAt = (from: Date, cadence: CadenceDef): Date => addDays(from, cadence.everyDays);

/** The Responsible's reminder that applies at `now`, or null when none has come due yet. */
export function reminderSlot(dueAt: Date, cadence: CadenceDef, now: Date): ReviewSlot | null {
  const day = Math.floor((now.getTime() - dueAt.getTime()) / DAY_MS);
  if (now.getTime() >= dueAt.getTime()) {
    return day === 0
      ? { kind: 'due', day: 0, at: dueAt, id: 'due' }
      : { kind: 'overdue', day, at: addDays(dueAt, day), id: `overdue-${day}` };
  }
  const passed = [...cadence.remindBeforeDays]
    .filter((b) => b > 0 && now.getTime() >= addDays(dueAt, -b).getTime())
    .sort((a, b) => a - b);
  const b = passed[0];
  return b === undefined ? null : { kind: 'before', day: -b, at: addDays(dueAt, -b), id: `before-${b}` };
}

/** The escalations reached at `now` (each sent once: its id is fixed). */
export function escalationSlots(dueAt: Date, cadence: CadenceDef, now: Date): ReviewSlot[] {
  const out: ReviewSlot[] = [];
  const reached = (days: number) => now.getTime() >= addDays(dueAt, days).getTime();
  if (reached(cadence.escalateToAccountableAfterDays)) {
    const d = cadence.escalateToAccountableAfterDays;
    out.push({ kind: 'escalate_accountable', day: d, at: addDays(dueAt, d), id: 'escalate-accountable' });
  }
  if (reached(cadence.escalateToCoeAfterDays)) {
    const d = cadence.escalateToCoeAfterDays;
    out.push({ kind: 'escalate_coe', day: d, at: addDays(dueAt, d), id: 'escalate-coe' });
  }
  return out;
}
