/**
 * "Pilot purgatory" (issue 7 item 4): a use case in one stage longer than the playbook's
 * stalledAfterDays nudges its owner (the product manager) and its Accountables, once per period
 * of that length; a use case that moved on is measured from its new stage entry.
 */
import { castVote } from '../../src/domain/approvals/castVote';
import { DAY_MS, addDays } from '../../src/domain/schedules/dates';
import { findStalled, stalledKey, sweepStalled } from '../../src/domain/schedules/sweepStalled';
import type { Stage, UseCase } from '../../src/domain/types';
import { requestAdvance } from '../../src/domain/usecases/requestAdvance';
import { registerTeam, type Team } from '../support/people';
import { proposeTestUseCase } from '../support/usecases';
import { useCase as storedUseCase } from './fixtures';
import { deliveriesWith, newKeys, recipientOf, sorted, useSweepContext } from './sweepSupport';

const t = useSweepContext();
let team: Team;

beforeAll(async () => {
  t.clock.set('2026-09-01T09:00:00Z');
  team = await registerTeam(t.ctx);
});

const limitOf = (stage: Stage): number => t.ctx.policy.lifecycle.stages.find((s) => s.id === stage)!.stalledAfterDays!;
const prefixOf = (uc: UseCase) => `usecase.stalled:${uc.key}:`;
/** The owner and every Accountable in the RACI, each once. */
const nudged = (uc: UseCase) => sorted([...new Set([uc.ownerId, ...uc.raci.flatMap((a) => a.accountable)])]);
const keysFor = (uc: UseCase, period: number) => sorted(nudged(uc).map((id) => stalledKey({ useCase: uc, days: 0, period }, id)));

async function advance(uc: UseCase): Promise<UseCase> {
  const { approval } = await requestAdvance(t.ctx, { actorId: uc.ownerId, key: uc.key });
  const vote = await castVote(t.ctx, { actorId: team.ai_coe_admin!.id, approvalKey: approval.key, decision: 'approve' });
  expect(vote.decided).toBe('approved');
  return (await t.ctx.repos.useCases.get(uc.key))!;
}

describe('findStalled (pure)', () => {
  it('counts whole days in the stage and the period number', () => {
    const entered = new Date('2026-01-01T00:00:00Z');
    const uc = { stage: 'pilot', stageEnteredAt: entered } as UseCase;
    const limits = new Map([['pilot', 60]]);
    expect(findStalled([uc], limits, addDays(entered, 59.9))).toEqual([]);
    expect(findStalled([uc], limits, addDays(entered, 60))).toEqual([{ useCase: uc, days: 60, period: 1 }]);
    expect(findStalled([uc], limits, addDays(entered, 119))[0]!.period).toBe(1);
    expect(findStalled([uc], limits, addDays(entered, 120))[0]!.period).toBe(2);
    expect(findStalled([{ ...uc, stage: 'production' } as UseCase], limits, addDays(entered, 999))).toEqual([]);
  });
});

describe('stalled sweep', () => {
  it('nudges the owner and the Accountables once per stalled period', async () => {
    t.clock.set('2026-09-01T09:00:00Z');
    const uc = await proposeTestUseCase(t.ctx, team.llm_product_manager!.id, 'minimal', { title: 'Contract clause finder' });
    const limit = limitOf('ideation');
    // The default RACI makes the PM, platform engineering and legal Accountable for some area.
    expect(nudged(uc)).toEqual(sorted([team.llm_product_manager!.id, team.platform_engineering!.id, team.ai_governance_legal!.id]));

    t.clock.set(new Date(uc.stageEnteredAt.getTime() + limit * DAY_MS - 1));
    expect(await newKeys(t, prefixOf(uc), () => sweepStalled(t.sctx))).toEqual([]);

    t.clock.set(addDays(uc.stageEnteredAt, limit));
    expect(await newKeys(t, prefixOf(uc), () => sweepStalled(t.sctx))).toEqual(keysFor(uc, 1));
    const first = await deliveriesWith(t, prefixOf(uc));
    expect(sorted(first.map(recipientOf))).toEqual(nudged(uc));
    for (const d of first) {
      expect(d.text).toContain(`${uc.key} (${uc.title}) has been in ideation for ${limit} days`);
      expect(d.key.endsWith(`:${recipientOf(d)}`)).toBe(true);
    }

    // Same period: a re-run, a concurrent pair, and a run near the period's end add nothing.
    expect(await newKeys(t, prefixOf(uc), () => sweepStalled(t.sctx))).toEqual([]);
    t.clock.set(addDays(uc.stageEnteredAt, limit + 1));
    expect(await newKeys(t, prefixOf(uc), () => Promise.all([sweepStalled(t.sctx), sweepStalled(t.sctx)]))).toEqual([]);
    t.clock.set(new Date(addDays(uc.stageEnteredAt, 2 * limit).getTime() - 1));
    expect(await newKeys(t, prefixOf(uc), () => sweepStalled(t.sctx))).toEqual([]);

    // The next period nudges again, once, even with two sweeps at the same moment.
    t.clock.set(addDays(uc.stageEnteredAt, 2 * limit));
    expect(await newKeys(t, prefixOf(uc), () => Promise.all([sweepStalled(t.sctx), sweepStalled(t.sctx)]))).toEqual(keysFor(uc, 2));
    expect(await deliveriesWith(t, prefixOf(uc))).toHaveLength(2 * nudged(uc).length);
    expect((await t.ctx.repos.useCases.get(uc.key))!.stage).toBe('ideation'); // a nudge moves nothing
  });

  it('does not nudge a use case that moved stage; its clock restarts in the new stage', async () => {
    t.clock.set('2027-01-04T09:00:00Z');
    const proposedAt = t.clock.now();
    const uc = await proposeTestUseCase(t.ctx, team.llm_product_manager!.id, 'minimal', { title: 'Invoice matcher' });
    t.clock.advanceDays(limitOf('ideation') - 10);
    const moved = await advance(uc);
    expect(moved.stage).toBe('prototype');
    expect(moved.stageEnteredAt).toEqual(t.clock.now());

    // The ideation limit from the proposal passes: nothing, the use case is no longer there.
    t.clock.set(addDays(proposedAt, limitOf('ideation')));
    expect(await newKeys(t, prefixOf(uc), () => sweepStalled(t.sctx))).toEqual([]);
    t.clock.set(new Date(addDays(moved.stageEnteredAt, limitOf('prototype')).getTime() - 1));
    expect(await newKeys(t, prefixOf(uc), () => sweepStalled(t.sctx))).toEqual([]);

    // Stuck in prototype for its own limit: nudged, keyed to the prototype stage.
    t.clock.set(addDays(moved.stageEnteredAt, limitOf('prototype')));
    const added = await newKeys(t, prefixOf(uc), () => sweepStalled(t.sctx));
    expect(added).toEqual(keysFor(moved, 1));
    for (const k of added) expect(k).toContain(':prototype@');
  });

  it('stops nudging once a nudged use case moves on', async () => {
    t.clock.set('2027-06-01T09:00:00Z');
    const uc = await proposeTestUseCase(t.ctx, team.llm_product_manager!.id, 'minimal', { title: 'HR policy helper' });
    t.clock.set(addDays(uc.stageEnteredAt, limitOf('ideation')));
    expect(await newKeys(t, prefixOf(uc), () => sweepStalled(t.sctx))).toEqual(keysFor(uc, 1));
    t.clock.advanceDays(1);
    const moved = await advance(uc);

    // Where the second ideation period would have begun, and up to the prototype limit: nothing new.
    const prototypeStalls = addDays(moved.stageEnteredAt, limitOf('prototype'));
    for (const moment of [addDays(uc.stageEnteredAt, 2 * limitOf('ideation')), new Date(prototypeStalls.getTime() - 1)]) {
      expect(moment.getTime()).toBeLessThan(prototypeStalls.getTime());
      t.clock.set(moment);
      expect(await newKeys(t, prefixOf(uc), () => sweepStalled(t.sctx))).toEqual([]);
    }
    expect(await keysWithPeriod(uc, 'ideation', 2)).toEqual([]);
  });

  it('never nudges a stage without a limit (production)', async () => {
    t.clock.set('2028-01-03T09:00:00Z');
    const uc = await storedUseCase(t.ctx.repos, { ownerId: team.llm_product_manager!.id, stage: 'production', createdAt: addDays(t.clock.now(), -400), accountable: [team.ai_governance_legal!.id] });
    expect(t.ctx.policy.lifecycle.stages.find((s) => s.id === 'production')!.stalledAfterDays).toBeUndefined();
    expect(await newKeys(t, prefixOf(uc), () => sweepStalled(t.sctx))).toEqual([]);
  });
});

async function keysWithPeriod(uc: UseCase, stage: Stage, period: number): Promise<string[]> {
  return (await deliveriesWith(t, `${prefixOf(uc)}${stage}@`)).map((d) => d.key).filter((k) => k.includes(`:${period}:`));
}
