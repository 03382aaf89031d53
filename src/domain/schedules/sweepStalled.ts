/**
 * Use cases sitting in one lifecycle stage longer than the stage's `stalledAfterDays`: the owner
 * (the LLM product manager) and the Accountables are nudged once per period of that length.
 * The key carries the stage entry day and the period number, so each period nudges once.
 */
import type { OutboundMessage } from '../ports';
import type { UseCase } from '../types';
import { enqueueAll, notice, type ScheduleContext } from './context';
import { daysSince, isoDay } from './dates';
import { accountableIds, unique } from './recipients';

export interface StalledUseCase {
  useCase: UseCase;
  days: number;
  /** 1 for the first stalled period, 2 for the second ... */
  period: number;
}

/** Pure: the stalled use cases at `now` under the policy's stage limits. */
export function findStalled(useCases: readonly UseCase[], stalledAfter: ReadonlyMap<string, number>, now: Date): StalledUseCase[] {
  const out: StalledUseCase[] = [];
  for (const uc of useCases) {
    const limit = stalledAfter.get(uc.stage);
    if (!limit || limit <= 0) continue;
    const days = daysSince(uc.stageEnteredAt, now);
    if (days < limit) continue;
    out.push({ useCase: uc, days, period: Math.floor(days / limit) });
  }
  return out;
}

export const stalledKey = (s: StalledUseCase, personId: string): string =>
  `usecase.stalled:${s.useCase.key}:${s.useCase.stage}@${isoDay(s.useCase.stageEnteredAt)}:${s.period}:${personId}`;

export function stalledLimits(ctx: Pick<ScheduleContext, 'policy'>): Map<string, number> {
  return new Map(ctx.policy.lifecycle.stages.filter((s) => s.stalledAfterDays).map((s) => [s.id, s.stalledAfterDays!]));
}

export async function sweepStalled(ctx: ScheduleContext): Promise<{ stalled: number; queued: number }> {
  const stalled = findStalled(await ctx.repos.useCases.list(), stalledLimits(ctx), ctx.clock.now());
  const messages: OutboundMessage[] = [];
  for (const s of stalled) {
    const uc = s.useCase;
    const text = `${uc.key} (${uc.title}) has been in ${uc.stage} for ${s.days} days. Move it on ("advance ${uc.key}"), or suspend or retire it.`;
    const card = notice(`${uc.key} looks stalled`, text, [
      { label: 'Stage', value: uc.stage },
      { label: 'Since', value: isoDay(uc.stageEnteredAt) },
    ]);
    for (const personId of unique([uc.ownerId, ...accountableIds(uc)])) {
      messages.push({ key: stalledKey(s, personId), to: { personId }, text, card });
    }
  }
  return { stalled: stalled.length, queued: await enqueueAll(ctx, messages) };
}
