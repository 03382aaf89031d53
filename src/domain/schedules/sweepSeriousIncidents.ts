/**
 * The Art. 73 clock: a serious incident whose report is not yet submitted reminds its owner and
 * the AI governance/legal people at once (Art. 73(2)-(4) all say "immediately"), at the policy's
 * fractions of the time allowed, and at the deadline itself. Only the latest reminder that has
 * come due is sent (no backlog after a gap). After an initial report (Art. 73(5)) the deadline is
 * met, but reminders continue every COMPLETE_REPORT_REMINDER_DAYS until the complete report is in.
 */
import { formatUtc } from './dates';
import type { OutboundMessage } from '../ports';
import type { Incident } from '../types';
import { enqueueAll, notice, type ScheduleContext } from './context';
import { LEGAL_ROLE, unique } from './recipients';

export interface Art73Slot {
  fraction: number;
  at: Date;
}

/**
 * Days between reminders for the complete report after an initial one. A cadence Steward
 * chooses (Art. 73(5) sets no date for the complete report), not a legal deadline.
 */
export const COMPLETE_REPORT_REMINDER_DAYS = 7;

/**
 * The reminder that applies at `now`: the largest fraction whose moment has passed. Fraction 0
 * (awareness itself) always exists: the report is due "immediately", so the first reminder
 * goes out at once rather than halfway through the window.
 */
export function art73Slot(awareAt: Date, deadline: Date, fractions: readonly number[], now: Date): Art73Slot | null {
  const span = deadline.getTime() - awareAt.getTime();
  const all = [...new Set([0, ...fractions.filter((f) => f > 0 && f < 1), 1])].sort((a, b) => b - a);
  for (const fraction of all) {
    const at = new Date(awareAt.getTime() + Math.round(span * fraction));
    if (now.getTime() >= at.getTime()) return { fraction, at };
  }
  return null;
}

export const art73Key = (incidentKey: string, fraction: number, to: string): string =>
  `art73.reminder:${incidentKey}:${fraction}:${to}`;
/** The n-th reminder (1, 2, …) for the complete report after an initial one. */
export const art73CompleteKey = (incidentKey: string, n: number, to: string): string =>
  `art73.complete:${incidentKey}:${n}:${to}`;

function hoursLeft(deadline: Date, now: Date): string {
  const h = Math.round((deadline.getTime() - now.getTime()) / 3_600_000);
  if (h <= 0) return 'the deadline has been reached';
  return h >= 48 ? `${Math.floor(h / 24)} days left` : `${h} hours left`;
}

export async function sweepSeriousIncidents(ctx: ScheduleContext): Promise<{ queued: number }> {
  const now = ctx.clock.now();
  const incidents = (await ctx.repos.incidents.list()).filter(
    (i): i is Incident & { serious: NonNullable<Incident['serious']> } => Boolean(i.serious?.deadline && !i.serious.reportSubmittedAt),
  );
  if (!incidents.length) return { queued: 0 };
  const legal = (await ctx.repos.people.findByRole(LEGAL_ROLE)).map((p) => p.id);
  const messages: OutboundMessage[] = [];
  for (const inc of incidents) {
    const { awareAt, deadline, initialReportAt } = inc.serious;
    if (initialReportAt) {
      messages.push(...completeReportReminders(inc, initialReportAt, [inc.ownerId, ...legal], now));
      continue;
    }
    const slot = art73Slot(awareAt, deadline, ctx.policy.incidents.serious.reminderFractions, now);
    if (!slot) continue;
    const text = `Art. 73 report for ${inc.key} (${inc.title}) is due ${formatUtc(deadline)}: ${hoursLeft(deadline, now)}. Record the submission with "incident ${inc.key} report submitted".`;
    const card = notice(`${inc.key} · Art. 73 report due`, text, [
      { label: 'Incident', value: `${inc.key} · ${inc.title}` },
      { label: 'Deadline', value: formatUtc(deadline) },
    ]);
    for (const personId of unique([inc.ownerId, ...legal])) {
      messages.push({ key: art73Key(inc.key, slot.fraction, personId), to: { personId }, text, card });
    }
  }
  return { queued: await enqueueAll(ctx, messages) };
}

/** After an initial report: the latest weekly reminder that has come due, to each recipient once. */
function completeReportReminders(inc: Incident, initialAt: Date, to: string[], now: Date): OutboundMessage[] {
  const n = Math.floor((now.getTime() - initialAt.getTime()) / (COMPLETE_REPORT_REMINDER_DAYS * 86_400_000));
  if (n < 1) return [];
  const text = `The initial Art. 73 report for ${inc.key} (${inc.title}) went in on ${formatUtc(initialAt)}; the complete report is still outstanding (Art. 73(5)). Record it with "incident ${inc.key} report complete <reference>".`;
  const card = notice(`${inc.key} · complete Art. 73 report outstanding`, text, [
    { label: 'Incident', value: `${inc.key} · ${inc.title}` },
    { label: 'Initial report', value: `${formatUtc(initialAt)}${inc.serious?.initialReportRef ? ` (${inc.serious.initialReportRef})` : ''}` },
  ]);
  return unique(to).map((personId) => ({ key: art73CompleteKey(inc.key, n, personId), to: { personId }, text, card }));
}
