import { react } from '../../src/domain/records/react';
import { ensureReview } from '../../src/domain/schedules/ensureReview';
import { sweepReviews } from '../../src/domain/schedules/sweepReviews';
import { addDays, isoDay } from '../../src/domain/schedules/dates';
import { cadenceFor, escalationSlots, reminderSlot } from '../../src/domain/schedules/reviewPlan';
import type { ScheduleContext } from '../../src/domain/schedules/context';
import { routeEvents } from '../../src/notifications/routeEvents';
import { createDeliveryRepository, type MongoDeliveryRepository } from '../../src/store/deliveries.repo';
import { useTestContext } from '../support/context';
import { person, useCase } from './fixtures';
import { fixtureChange } from '../support/changes';

const t = useTestContext();
let deliveries: MongoDeliveryRepository;
let sctx: ScheduleContext;

beforeAll(async () => {
  deliveries = createDeliveryRepository(t.ctx.conn);
  await deliveries.init();
  sctx = { ...t.ctx, deliveries };
});

const keysFor = async (personOrChannel: string) =>
  (await deliveries.list({ limit: 1000 })).filter((d) => ('personId' in d.to ? d.to.personId : d.to.channel) === personOrChannel).map((d) => d.key);

describe('review plan (pure)', () => {
  const cadence = { tier: 'high' as const, everyDays: 90, remindBeforeDays: [14, 7, 1], escalateToAccountableAfterDays: 7, escalateToCoeAfterDays: 21, frameworks: [] };
  const due = new Date('2026-12-01T09:00:00Z');
  it('picks the latest reminder that has come due', () => {
    expect(reminderSlot(due, cadence, addDays(due, -15))).toBeNull();
    expect(reminderSlot(due, cadence, addDays(due, -14))?.id).toBe('before-14');
    expect(reminderSlot(due, cadence, addDays(due, -8))?.id).toBe('before-14');
    expect(reminderSlot(due, cadence, addDays(due, -7))?.id).toBe('before-7');
    expect(reminderSlot(due, cadence, addDays(due, -0.5))?.id).toBe('before-1');
    expect(reminderSlot(due, cadence, due)?.id).toBe('due');
    expect(reminderSlot(due, cadence, addDays(due, 3.2))?.id).toBe('overdue-3');
  });
  it('escalates to the Accountable and then the CoE on their days', () => {
    expect(escalationSlots(due, cadence, addDays(due, 6.9))).toEqual([]);
    expect(escalationSlots(due, cadence, addDays(due, 7)).map((s) => s.id)).toEqual(['escalate-accountable']);
    expect(escalationSlots(due, cadence, addDays(due, 21)).map((s) => s.id)).toEqual(['escalate-accountable', 'escalate-coe']);
  });
});

describe('review sweep', () => {
  it('schedules by tier, reminds the Responsible at the right times, escalates, and never twice', async () => {
    const owner = await person(t.ctx.repos, { roles: ['llm_product_manager'] });
    const resp = await person(t.ctx.repos, { roles: ['ai_security_specialist'] });
    const acc = await person(t.ctx.repos, { roles: ['ai_governance_legal'] });
    t.clock.set('2026-09-01T09:00:00Z');
    const uc = await useCase(t.ctx.repos, { ownerId: owner.id, tier: 'high', createdAt: t.clock.now(), responsible: [resp.id], accountable: [acc.id] });
    const cadence = cadenceFor(t.ctx.policy, 'high')!;

    expect(await sweepReviews(sctx)).toMatchObject({ scheduled: 1, queued: 0 });
    const review = (await t.ctx.repos.reviews.open(uc.key))!;
    expect(review.dueAt).toEqual(addDays(t.clock.now(), cadence.everyDays));
    expect(review.frameworks).toEqual(cadence.frameworks);
    const key = (slot: string, to: string) => `review.${slot}:${uc.key}#1@${isoDay(review.dueAt)}:${to}`;

    const expectStep = async (at: Date, newKeys: string[]) => {
      t.clock.set(at);
      const before = (await deliveries.list({ limit: 1000 })).length;
      const first = await sweepReviews(sctx);
      const second = await sweepReviews(sctx); // re-running queues nothing new
      expect(second.queued).toBe(0);
      expect(first.queued).toBe(newKeys.length);
      expect((await deliveries.list({ limit: 1000 })).length).toBe(before + newKeys.length);
      for (const k of newKeys) expect(await deliveries.get(k)).not.toBeNull();
    };
    const largest = Math.max(...cadence.remindBeforeDays);
    await expectStep(addDays(review.dueAt, -largest - 1), []);
    for (const b of [...cadence.remindBeforeDays].sort((x, y) => y - x)) await expectStep(addDays(review.dueAt, -b), [key(`before-${b}`, resp.id)]);
    await expectStep(review.dueAt, [key('due', resp.id)]);
    await expectStep(addDays(review.dueAt, 1), [key('overdue-1', resp.id)]);
    const toAcc = cadence.escalateToAccountableAfterDays;
    await expectStep(addDays(review.dueAt, toAcc), [key(`overdue-${toAcc}`, resp.id), key('escalate-accountable', acc.id)]);
    const toCoe = cadence.escalateToCoeAfterDays;
    await expectStep(addDays(review.dueAt, toCoe), [key(`overdue-${toCoe}`, resp.id), key('escalate-coe', 'coe')]);
    expect(await keysFor('coe')).toEqual([key('escalate-coe', 'coe')]);
    expect(await keysFor(owner.id)).toEqual([]); // the Responsible is named: the owner is not reminded
  });

  it('falls back to the owner when no Responsible is named; skips ideation and retired use cases', async () => {
    const owner = await person(t.ctx.repos);
    t.clock.set('2027-03-01T09:00:00Z');
    const uc = await useCase(t.ctx.repos, { ownerId: owner.id, tier: 'minimal', createdAt: t.clock.now() });
    const idea = await useCase(t.ctx.repos, { ownerId: owner.id, tier: 'minimal', stage: 'ideation', createdAt: t.clock.now() });
    await sweepReviews(sctx);
    expect(await t.ctx.repos.reviews.open(idea.key)).toBeNull();
    const review = (await t.ctx.repos.reviews.open(uc.key))!;
    t.clock.set(review.dueAt);
    await sweepReviews(sctx);
    expect(await keysFor(owner.id)).toContain(`review.due:${uc.key}#1@${isoDay(review.dueAt)}:${owner.id}`);
  });

  it('a tier change recorded with its event reschedules the open review in place, once; prohibited closes it', async () => {
    const owner = await person(t.ctx.repos);
    t.clock.set('2027-09-01T09:00:00Z');
    const created = t.clock.now();
    const uc = await useCase(t.ctx.repos, { ownerId: owner.id, tier: 'high', createdAt: created });
    const first = (await ensureReview(sctx, { useCase: uc }))!;
    const retier = async (tier: 'minimal' | 'prohibited') => {
      const current = (await t.ctx.repos.useCases.get(uc.key))!;
      const at = t.clock.now();
      const { entry } = await t.ctx.repos.useCases.save({ ...current, tier }, {
        at, actorId: owner.id, action: 'usecase.updated', events: [{ type: 'usecase.tier_changed', at, actorId: owner.id, useCaseKey: uc.key }],
      });
      await t.ctx.react(entry);
      return entry;
    };

    const entry = await retier('minimal');
    const moved = (await t.ctx.repos.reviews.open(uc.key))!;
    expect(moved).toMatchObject({ cycle: first.cycle, tier: 'minimal', dueAt: addDays(created, cadenceFor(t.ctx.policy, 'minimal')!.everyDays) });
    const history = await t.ctx.repos.audit.history(`review:${uc.key}#${first.cycle}`);
    expect(history.map((e) => [e.action, e.cause])).toEqual([['review.scheduled', undefined], ['review.rescheduled', `usecase:${uc.key}#${entry.version}`]]);
    expect(history[1]!.data).toMatchObject({ tierFrom: 'high', tierTo: 'minimal' });
    // Its consequences run again (the sweep, another process): nothing more is written.
    expect((await react(t.ctx, entry)).ok).toBe(true);
    expect(await t.ctx.repos.audit.history(`review:${uc.key}#${first.cycle}`)).toHaveLength(2);

    await retier('prohibited');
    expect(await t.ctx.repos.reviews.open(uc.key)).toBeNull();
    expect((await t.ctx.repos.reviews.get(`${uc.key}#${first.cycle}`))!.cancelledAt).toEqual(t.clock.now());
    expect(await sweepReviews(sctx)).toMatchObject({ scheduled: 0 });
  });

  it('closes a review left open on a retired use case', async () => {
    const owner = await person(t.ctx.repos);
    t.clock.set('2027-10-01T09:00:00Z');
    const uc = await useCase(t.ctx.repos, { ownerId: owner.id, stage: 'retired', createdAt: t.clock.now() });
    await t.ctx.repos.reviews.create({ useCaseKey: uc.key, cycle: 3, dueAt: t.clock.now(), tier: 'high', frameworks: [] }, fixtureChange());
    expect(await sweepReviews(sctx)).toMatchObject({ scheduled: 0 });
    expect(await t.ctx.repos.reviews.open(uc.key)).toBeNull();
    expect(await t.ctx.repos.audit.head(`review:${uc.key}#3`)).toMatchObject({ action: 'review.cancelled', actorId: 'system' });
  });

  it('a tier change reschedules the open review; a completed review schedules the next', async () => {
    const owner = await person(t.ctx.repos);
    t.clock.set('2027-06-01T09:00:00Z');
    const created = t.clock.now();
    const uc = await useCase(t.ctx.repos, { ownerId: owner.id, tier: 'high', createdAt: created });
    const stop = routeEvents(t.ctx, deliveries);
    try {
      await sweepReviews(sctx);
      expect((await t.ctx.repos.reviews.open(uc.key))!.dueAt).toEqual(addDays(created, cadenceFor(t.ctx.policy, 'high')!.everyDays));
      // Through the write model: the change carries its event, and its reactions reschedule.
      const tierChange = { type: 'usecase.tier_changed' as const, at: t.clock.now(), actorId: owner.id, useCaseKey: uc.key };
      const changed = await t.ctx.repos.useCases.save({ ...(await t.ctx.repos.useCases.get(uc.key))!, tier: 'minimal' }, { ...fixtureChange('usecase.updated', t.clock.now()), events: [tierChange] });
      await t.ctx.react(changed.entry);
      const moved = (await t.ctx.repos.reviews.open(uc.key))!;
      expect(moved.tier).toBe('minimal');
      expect(moved.dueAt).toEqual(addDays(created, cadenceFor(t.ctx.policy, 'minimal')!.everyDays));
      expect((await t.ctx.repos.reviews.list({ useCaseKey: uc.key, open: true }))).toHaveLength(1);

      t.clock.set(moved.dueAt);
      const nextDueAt = addDays(t.clock.now(), 365);
      const completion = { type: 'review.completed' as const, at: t.clock.now(), actorId: owner.id, useCaseKey: uc.key, nextDueAt };
      const completed = await t.ctx.repos.reviews.save({ ...moved, completedAt: t.clock.now(), completedBy: owner.id }, { ...fixtureChange('review.completed', t.clock.now()), events: [completion] });
      await t.ctx.react(completed.entry);
      const next = (await t.ctx.repos.reviews.open(uc.key))!;
      expect(next.cycle).toBe(moved.cycle + 1);
      expect(next.dueAt).toEqual(nextDueAt);
    } finally {
      stop();
    }
  });
});
