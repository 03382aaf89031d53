/**
 * Reviews of a system in use (issue 13): the first review in production counts from go-live,
 * not from the proposal; a model change or a substantial modification of a live use case brings
 * its open review forward (an extra review), once, audited with the reason. Real database; the
 * use case passes every gate through the real approval flow.
 */
import { castVote } from '../../src/domain/approvals/castVote';
import { react } from '../../src/domain/records/react';
import { extraReviewReason } from '../../src/domain/reviews/extraReview';
import { scheduleFirstReview } from '../../src/domain/reviews/scheduleFirstReview';
import { requestAdvance } from '../../src/domain/usecases/requestAdvance';
import { updateUseCase } from '../../src/domain/usecases/updateUseCase';
import type { Person, UseCase } from '../../src/domain/types';
import { fixtureChange } from '../support/changes';
import { useTestContext } from '../support/context';
import { registerApprovedGpuModel } from '../support/models';
import { registerTeam, type Team } from '../support/people';
import { proposeTestUseCase } from '../support/usecases';

const t = useTestContext();
const DAY = 86_400_000;
let team: Team;
let people: Person[];

beforeAll(async () => {
  t.clock.set('2026-01-05T09:00:00Z');
  team = await registerTeam(t.ctx);
  people = await t.ctx.repos.people.list();
  await registerApprovedGpuModel(t.ctx, team, 'gate-model');
  await registerApprovedGpuModel(t.ctx, team, 'next-model');
});

/** A passing evaluation as of now, so the gates that ask for a fresh one open. */
async function freshEval(): Promise<void> {
  const at = t.clock.now();
  const latestEval = { runId: `run-${at.getTime()}`, suite: 'default', at, passed: true, passRate: 0.95, latencyP50Ms: 100, latencyP95Ms: 200, tokensIn: 10, tokensOut: 10, cost: 0 };
  await t.ctx.repos.models.save({ ...(await t.ctx.repos.models.get('gate-model'))!, latestEval }, fixtureChange('test.fixture', at));
}

/** One gate, approved by its approvers (as the demo seed does). */
async function advance(uc: UseCase): Promise<UseCase> {
  await freshEval();
  const { approval } = await requestAdvance(t.ctx, { actorId: team.llm_product_manager.id, key: uc.key });
  for (const voterId of approval.approverIds) {
    if (voterId === team.llm_product_manager.id || !people.some((p) => p.id === voterId)) continue;
    const r = await castVote(t.ctx, { actorId: voterId, approvalKey: approval.key, decision: 'approve', reason: 'exit criteria met' });
    if (r.decided) break;
  }
  const after = (await t.ctx.repos.useCases.get(uc.key))!;
  expect(after.stage).not.toBe(uc.stage);
  return after;
}

const everyDays = () => t.ctx.policy.cadences.find((c) => c.tier === 'minimal')!.everyDays;
const openReview = async (key: string) => (await t.ctx.repos.reviews.open(key))!;

async function live(): Promise<UseCase> {
  t.clock.set('2026-01-05T09:00:00Z');
  let uc = await proposeTestUseCase(t.ctx, team.llm_product_manager.id, 'minimal', { title: 'Slow to ship', models: ['gate-model'] });
  await scheduleFirstReview(t.ctx, { useCaseKey: uc.key });
  expect((await openReview(uc.key)).dueAt.getTime()).toBe(Date.parse('2026-01-05T09:00:00Z') + everyDays() * DAY);
  while (uc.stage !== 'pilot') {
    t.clock.advanceMs(30 * DAY);
    uc = await advance(uc);
  }
  t.clock.set('2026-09-01T10:00:00Z');
  return advance(uc);
}

describe('the first review in production', () => {
  it('counts from go-live, not from the proposal, and the use case shows it', async () => {
    const uc = await live();
    expect(uc.stage).toBe('production');
    const goLive = Date.parse('2026-09-01T10:00:00Z');
    const review = await openReview(uc.key);
    expect(review.dueAt.getTime()).toBe(goLive + everyDays() * DAY);
    expect((await t.ctx.repos.useCases.get(uc.key))!.nextReviewDue?.getTime()).toBe(goLive + everyDays() * DAY);
    expect(await t.ctx.repos.audit.head(`review:${uc.key}#${review.cycle}`)).toMatchObject({ action: 'review.rescheduled' });
  });
});

describe('an extra review', () => {
  it('a model change of a live use case makes its open review due at the change, once', async () => {
    const uc = await live();
    t.clock.set('2026-09-20T12:00:00Z');
    await updateUseCase(t.ctx, { actorId: team.llm_product_manager.id, key: uc.key, models: ['gate-model', 'next-model'] });
    const review = await openReview(uc.key);
    expect(review.dueAt.toISOString()).toBe('2026-09-20T12:00:00.000Z');
    const stream = `review:${uc.key}#${review.cycle}`;
    const head = (await t.ctx.repos.audit.head(stream))!;
    expect(head).toMatchObject({ action: 'review.brought_forward', data: { reason: 'model change (gate-model → gate-model, next-model)' } });

    // The reaction run again (the sweep after a crash) changes nothing.
    const updated = (await t.ctx.repos.audit.history(`usecase:${uc.key}`)).filter((e) => e.action === 'usecase.updated').at(-1)!;
    expect(updated.data).toMatchObject({ extraReview: 'model change (gate-model → gate-model, next-model)' });
    await react(t.ctx, updated);
    expect((await t.ctx.repos.audit.head(stream))!.version).toBe(head.version);
  });

  it('not before the system is in use; a substantial modification counts too', async () => {
    t.clock.set('2026-10-01T09:00:00Z');
    const idea = await proposeTestUseCase(t.ctx, team.llm_product_manager.id, 'minimal', { title: 'Still an idea' });
    const after = await updateUseCase(t.ctx, { actorId: team.llm_product_manager.id, key: idea.key, models: ['gpt-4o'] });
    const last = (await t.ctx.repos.audit.head(`usecase:${after.key}`))!;
    expect(last.data).not.toHaveProperty('extraReview');

    const base = { stage: 'production' as const, models: ['m'], answers: { provider_triggers: ['none'] } };
    expect(extraReviewReason(base, { models: ['m'], answers: { provider_triggers: ['substantial_modification'] } })).toMatch(/substantial modification/);
    expect(extraReviewReason(base, { models: ['m'], answers: { provider_triggers: ['none'] } })).toBeUndefined();
  });
});
