import { completeReview } from '../../src/domain/reviews/completeReview';
import { listReviews } from '../../src/domain/reviews/listReviews';
import { cadenceFor, nextReviewDue } from '../../src/domain/reviews/nextReviewDue';
import { scheduleFirstReview } from '../../src/domain/reviews/scheduleFirstReview';
import { retireUseCase } from '../../src/domain/usecases/retireUseCase';
import type { Person } from '../../src/domain/types';
import { useTestContext } from '../support/context';
import { makePerson, makeUseCase, refusal } from './governance.fixtures';

const t = useTestContext();
const DAY = 86_400_000;
let pm: Person, safetyR: Person, safetyA: Person, legal: Person, other: Person;

beforeAll(async () => {
  [pm, safetyR, safetyA, legal, other] = await Promise.all([
    makePerson(t.ctx, ['llm_product_manager'], 'PM'),
    makePerson(t.ctx, ['ai_security_specialist'], 'R'),
    makePerson(t.ctx, ['domain_expert'], 'A'),
    makePerson(t.ctx, ['ai_governance_legal'], 'Legal'),
    makePerson(t.ctx, ['prompt_engineer'], 'Other'),
  ]);
});

const raci = () => [{ area: 'safety_compliance', responsible: [safetyR.id], accountable: [safetyA.id], consulted: [], informed: [] }];
const evidence = { attestation: 'Checked eval results, incidents and controls; all in order.', evidenceUrl: 'https://wiki.example.com/reviews/42' };

describe('nextReviewDue (pure)', () => {
  const proposed = new Date('2026-01-10T12:00:00Z');
  const uc = (tier: 'high' | 'transparency' | 'minimal' | 'prohibited') => ({
    tier,
    createdAt: new Date('2026-02-01T00:00:00Z'),
    stageHistory: [{ from: null, to: 'ideation' as const, at: proposed, by: 'x' }],
  });

  it('counts from the proposal when never reviewed, by the tier cadence in the policy', () => {
    for (const tier of ['high', 'transparency', 'minimal'] as const) {
      const every = cadenceFor(tier, t.ctx.policy.cadences)!.everyDays;
      expect(nextReviewDue(uc(tier), null, t.ctx.policy.cadences)).toEqual(new Date(proposed.getTime() + every * DAY));
    }
    expect(cadenceFor('high', t.ctx.policy.cadences)!.everyDays).toBe(90);
  });

  it('counts from the last completed review, and prohibited has no cadence', () => {
    const last = new Date('2026-06-01T00:00:00Z');
    expect(nextReviewDue(uc('high'), last, t.ctx.policy.cadences)).toEqual(new Date('2026-08-30T00:00:00Z'));
    expect(nextReviewDue(uc('prohibited'), last, t.ctx.policy.cadences)).toBeNull();
  });

  it('falls back to createdAt without a stage history', () => {
    expect(nextReviewDue({ ...uc('minimal'), stageHistory: [] }, undefined, t.ctx.policy.cadences)).toEqual(new Date('2027-02-01T00:00:00Z'));
  });
});

describe('scheduleFirstReview', () => {
  it('creates cycle 1 once and stores the due date on the use case', async () => {
    const uc = await makeUseCase(t.ctx, { ownerId: pm.id, tier: 'high', raci: raci() });
    const first = await scheduleFirstReview(t.ctx, { useCaseKey: uc.key });
    expect(first).toMatchObject({ useCaseKey: uc.key, cycle: 1, tier: 'high', dueAt: new Date(t.clock.now().getTime() + 90 * DAY) });
    expect(first!.frameworks).toEqual(cadenceFor('high', t.ctx.policy.cadences)!.frameworks);
    expect(await scheduleFirstReview(t.ctx, { useCaseKey: uc.key })).toBeNull();
    expect((await t.ctx.repos.useCases.get(uc.key))!.nextReviewDue).toEqual(first!.dueAt);
    expect(await t.ctx.repos.reviews.list({ useCaseKey: uc.key })).toHaveLength(1);
  });
});

describe('completeReview', () => {
  it('completes the open review, schedules the next one and updates the use case', async () => {
    const uc = await makeUseCase(t.ctx, { ownerId: pm.id, tier: 'high', raci: raci() });
    await scheduleFirstReview(t.ctx, { useCaseKey: uc.key });
    t.clock.advanceDays(80);
    const now = t.clock.now();
    const { completed, next } = await completeReview(t.ctx, { actorId: safetyR.id, useCaseKey: uc.key.toLowerCase(), ...evidence });
    expect(completed).toMatchObject({ cycle: 1, completedAt: now, completedBy: safetyR.id, ...evidence });
    expect(next).toMatchObject({ cycle: 2, dueAt: new Date(now.getTime() + 90 * DAY) });
    expect(next.completedAt).toBeUndefined();
    const stored = (await t.ctx.repos.useCases.get(uc.key))!;
    expect(stored.lastReviewAt).toEqual(now);
    expect(stored.nextReviewDue).toEqual(next.dueAt);
    expect((await t.ctx.repos.reviews.open(uc.key))?.cycle).toBe(2);
    // The completion is review 1's next version; the use case's update follows from it, keyed by it.
    expect(await t.ctx.repos.audit.head(`review:${uc.key}#1`)).toMatchObject({ action: 'review.completed', subject: `${uc.key}#1`, actorId: safetyR.id, data: { cycle: 1, late: false } });
    expect(await t.ctx.repos.audit.head(`usecase:${uc.key}`)).toMatchObject({ action: 'usecase.review_recorded', cause: `review:${uc.key}#1` });
    expect(await t.ctx.repos.audit.head(`review:${uc.key}#2`)).toMatchObject({ version: 1, action: 'review.scheduled', cause: `review:${uc.key}#1` });
    expect(t.events.at(-1)).toEqual(expect.objectContaining({ type: 'review.completed', useCaseKey: uc.key, nextDueAt: next.dueAt }));
  });

  it('creates and completes a review when none was scheduled', async () => {
    const uc = await makeUseCase(t.ctx, { ownerId: pm.id, tier: 'minimal', raci: raci() });
    const { completed, next } = await completeReview(t.ctx, { actorId: pm.id, useCaseKey: uc.key, ...evidence });
    expect(completed.cycle).toBe(1);
    expect(next.cycle).toBe(2);
    expect(await t.ctx.repos.reviews.list({ useCaseKey: uc.key })).toHaveLength(2);
  });

  it('lets the Accountable and legal complete, and refuses anyone else', async () => {
    const uc = await makeUseCase(t.ctx, { ownerId: pm.id, tier: 'transparency', raci: raci() });
    expect(await refusal(completeReview(t.ctx, { actorId: other.id, useCaseKey: uc.key, ...evidence }))).toMatchObject({ kind: 'forbidden', code: 'review.forbidden' });
    await completeReview(t.ctx, { actorId: safetyA.id, useCaseKey: uc.key, ...evidence });
    const second = await completeReview(t.ctx, { actorId: legal.id, useCaseKey: uc.key, ...evidence });
    expect(second.completed.cycle).toBe(2);
  });

  it('refuses bad evidence, prohibited use cases and unknown keys with readable messages', async () => {
    const uc = await makeUseCase(t.ctx, { ownerId: pm.id, tier: 'high', raci: raci() });
    const bad = await refusal(completeReview(t.ctx, { actorId: pm.id, useCaseKey: uc.key, attestation: evidence.attestation, evidenceUrl: 'see wiki' }));
    expect(bad.message).toMatch(/^evidenceUrl: expected an http\(s\) URL/);
    const short = await refusal(completeReview(t.ctx, { actorId: pm.id, useCaseKey: uc.key, attestation: 'ok', evidenceUrl: evidence.evidenceUrl }));
    expect(short.message).toMatch(/^attestation: /);
    const banned = await makeUseCase(t.ctx, { ownerId: pm.id, tier: 'prohibited' });
    expect(await refusal(completeReview(t.ctx, { actorId: pm.id, useCaseKey: banned.key, ...evidence }))).toMatchObject({ code: 'review.no_cadence' });
    expect(await refusal(completeReview(t.ctx, { actorId: pm.id, useCaseKey: 'UC-9999', ...evidence }))).toMatchObject({ code: 'usecase.not_found' });
  });

  it('completes exactly once when two people press at the same moment', async () => {
    const uc = await makeUseCase(t.ctx, { ownerId: pm.id, tier: 'high', raci: raci() });
    await scheduleFirstReview(t.ctx, { useCaseKey: uc.key });
    const results = await Promise.allSettled([
      completeReview(t.ctx, { actorId: pm.id, useCaseKey: uc.key, ...evidence }),
      completeReview(t.ctx, { actorId: safetyR.id, useCaseKey: uc.key, ...evidence }),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const rejected = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect(rejected.reason).toMatchObject({ code: 'review.already_completed' });
    const reviews = await t.ctx.repos.reviews.list({ useCaseKey: uc.key });
    expect(reviews.map((r) => [r.cycle, !!r.completedAt])).toEqual([[1, true], [2, false]]);
  });
});

describe('closing a review', () => {
  it('retiring the use case closes its open review with a new version, out of every list; its cycle is never reused', async () => {
    const uc = await makeUseCase(t.ctx, { ownerId: pm.id, tier: 'high', raci: raci() });
    await scheduleFirstReview(t.ctx, { useCaseKey: uc.key });
    const retired = await retireUseCase(t.ctx, { actorId: pm.id, key: uc.key, reason: 'replaced by a vendor tool' });
    const closed = (await t.ctx.repos.reviews.get(`${uc.key}#1`))!;
    expect(closed).toMatchObject({ cycle: 1, cancelledAt: t.clock.now(), cancelledBy: pm.id });
    expect(closed.completedAt).toBeUndefined();
    expect((await t.ctx.repos.audit.history(`review:${uc.key}#1`)).map((e) => [e.action, e.cause])).toEqual([
      ['review.scheduled', undefined],
      ['review.cancelled', `usecase:${uc.key}#${retired.rev}`],
    ]);
    expect(await t.ctx.repos.reviews.open(uc.key)).toBeNull();
    expect(await t.ctx.repos.reviews.list({ useCaseKey: uc.key, open: true })).toEqual([]);
    expect(await listReviews(t.ctx, { useCaseKey: uc.key })).toEqual([]);
    // Review 1 cannot be completed any more, and a later review is cycle 2.
    expect(await refusal(completeReview(t.ctx, { actorId: pm.id, useCaseKey: uc.key, cycle: 1, ...evidence }))).toMatchObject({ code: 'review.cancelled' });
    expect(await scheduleFirstReview(t.ctx, { useCaseKey: uc.key })).toMatchObject({ cycle: 2 });
  });
});

describe('listReviews', () => {
  it('lists overdue reviews as the clock passes their due date, and filters by person', async () => {
    const mine = await makeUseCase(t.ctx, { ownerId: pm.id, tier: 'high', raci: raci() });
    const theirs = await makeUseCase(t.ctx, { ownerId: other.id, tier: 'high' });
    await scheduleFirstReview(t.ctx, { useCaseKey: mine.key });
    await scheduleFirstReview(t.ctx, { useCaseKey: theirs.key });
    const overdueKeys = async () => (await listReviews(t.ctx, { overdue: true })).map((r) => r.useCaseKey);
    expect(await overdueKeys()).not.toContain(mine.key);
    t.clock.advanceDays(91);
    expect(await overdueKeys()).toEqual(expect.arrayContaining([mine.key, theirs.key]));
    const forR = await listReviews(t.ctx, { overdue: true, personId: safetyR.id });
    expect(forR.map((r) => r.useCaseKey)).toContain(mine.key);
    expect(forR.map((r) => r.useCaseKey)).not.toContain(theirs.key);
    await completeReview(t.ctx, { actorId: pm.id, useCaseKey: mine.key, ...evidence });
    expect(await overdueKeys()).not.toContain(mine.key);
    const done = await listReviews(t.ctx, { open: false, useCaseKey: mine.key });
    expect(done.map((r) => r.cycle)).toEqual([1]);
  });
});
