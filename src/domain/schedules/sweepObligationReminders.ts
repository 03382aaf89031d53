/**
 * Reminds owners 90 and 30 days before an EU AI Act obligation starts to apply to their use case
 * (issue 13: dates drive behaviour). The recipient is the Accountable of the obligation's RACI
 * area on that use case, else the use case owner. Each reminder is one outbox key
 * (`obligation-reminder:UC-n:<obligationId>:<90|30>`), so re-runs and concurrent sweeps send it
 * once; only the nearest threshold reached is sent (no 90-day reminder when 30 days are left).
 */
import { daysUntil } from '../obligations/dates';
import { obligationsFor } from '../obligations/obligationsFor';
import type { Obligation } from '../obligations/types';
import type { OutboundMessage } from '../ports';
import type { UseCase } from '../types';
import { enqueueAll, notice, type ScheduleContext } from './context';

export const OBLIGATION_REMINDER_DAYS = [90, 30] as const;

export const obligationReminderKey = (useCaseKey: string, obligationId: string, days: number): string =>
  `obligation-reminder:${useCaseKey}:${obligationId}:${days}`;

/** The threshold that applies with `left` days to go: the smallest one not below it; none once applied. */
export function obligationThreshold(left: number): number | undefined {
  if (left <= 0) return undefined;
  return [...OBLIGATION_REMINDER_DAYS].sort((a, b) => a - b).find((d) => left <= d);
}

/** Accountable of the obligation's area on this use case, else its owner. */
export function obligationOwner(uc: UseCase, area: string | undefined): string {
  const accountable = area ? uc.raci.find((a) => a.area === area)?.accountable[0] : undefined;
  return accountable ?? uc.ownerId;
}

export async function sweepObligationReminders(ctx: ScheduleContext): Promise<{ queued: number }> {
  const now = ctx.clock.now();
  const defs = new Map((ctx.policy.regulation?.obligations ?? []).map((d) => [d.id, d]));
  const useCases = (await ctx.repos.useCases.list()).filter((u) => u.stage !== 'retired' && u.tier !== 'prohibited');
  const messages: OutboundMessage[] = [];
  for (const uc of useCases) {
    for (const o of obligationsFor(uc, ctx.policy, now)) {
      if (o.state !== 'not_yet_applicable') continue;
      const left = daysUntil(o.appliesFrom, now);
      const threshold = obligationThreshold(left);
      if (!threshold) continue;
      const personId = obligationOwner(uc, defs.get(o.id)?.owner);
      messages.push(reminder(uc, o, left, threshold, personId));
    }
  }
  return { queued: await enqueueAll(ctx, messages) };
}

function reminder(uc: UseCase, o: Obligation, left: number, threshold: number, personId: string): OutboundMessage {
  const text = `${o.article} (${o.title}) applies to ${uc.key} (${uc.title}) from ${o.appliesFrom}: ${left} days left. ${o.controlIds.length ? `Evidence it with: ${o.controlIds.join(', ')}.` : ''}`.trim();
  const card = notice(`${uc.key} · ${o.article} applies from ${o.appliesFrom}`, text, [
    { label: 'Use case', value: `${uc.key} · ${uc.title}` },
    { label: 'Obligation', value: `${o.article} ${o.title} (owed as ${o.party})` },
    { label: 'Applies from', value: `${o.appliesFrom} (${left} days)` },
  ]);
  return { key: obligationReminderKey(uc.key, o.id, threshold), to: { personId }, text, card };
}
