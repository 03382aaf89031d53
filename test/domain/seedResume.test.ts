/**
 * A demo seed stopped part way (a killed first start) is finished by the next one: same
 * organisation, nothing twice, a valid trail; once complete, seeding again writes nothing.
 */
import { demoSeedComplete, seedDemo, seedDemoUntilComplete } from '../../src/app/seedDemo';
import { verifyAudit } from '../../src/domain/audit/verifyAudit';
import { useTestContext } from '../support/context';

// The demo seed writes nine months of history: far more than 30 s on a loaded machine.
jest.setTimeout(120_000);

const t = useTestContext();

/** Stops the seed (as a kill would) before step `n`; steps are written one at a time. */
const stopBefore = (n: number) => {
  let steps = 0;
  return {
    beforeStep: async () => {
      if (++steps >= n) throw new Error('killed');
    },
  };
};

describe('an interrupted demo seed', () => {
  it('is finished on the next start, twice interrupted, with nothing duplicated', async () => {
    await expect(seedDemo(t.ctx, stopBefore(9))).rejects.toThrow('killed');
    expect(await demoSeedComplete(t.ctx)).toBe(false);
    const partial = await t.ctx.repos.useCases.list();
    expect(partial.length).toBeGreaterThan(0);
    expect(partial.length).toBeLessThan(6);

    // A later start, some time after: the history keeps the days of the first one.
    t.clock.advanceDays(2);
    await expect(seedDemoUntilComplete(t.ctx, stopBefore(25))).rejects.toThrow('killed');
    expect(await demoSeedComplete(t.ctx)).toBe(false);

    const done = await seedDemoUntilComplete(t.ctx);
    expect(done).toMatchObject({ seeded: true, resumed: true });
    expect(await demoSeedComplete(t.ctx)).toBe(true);

    const ucs = await t.ctx.repos.useCases.list();
    expect(ucs.map((u) => u.key).sort()).toEqual(['UC-1', 'UC-2', 'UC-3', 'UC-4', 'UC-5', 'UC-6']);
    expect(new Set(ucs.map((u) => u.title)).size).toBe(6);
    expect(ucs.find((u) => u.key === 'UC-1')!.stageHistory.map((h) => h.to)).toEqual(['ideation', 'prototype', 'evaluation', 'security_audit', 'pilot', 'production']);
    const people = await t.ctx.repos.people.list();
    expect(people).toHaveLength(t.ctx.policy.roles.length + 1);
    expect((await t.ctx.repos.models.list()).map((m) => [m.name, m.status])).toEqual([
      ['gpt-4o', 'approved'],
      ['llama-3.1-8b-gpu', 'approved'],
      ['mistral-small', 'restricted'],
    ]);
    expect(await t.ctx.repos.incidents.list()).toHaveLength(1);
    expect(await t.ctx.repos.approvals.list({ status: 'pending' })).toHaveLength(1);
    // Every gate passed once: one approved approval per stage change after ideation.
    const approved = await t.ctx.repos.approvals.list({ status: 'approved' });
    expect(approved).toHaveLength(ucs.reduce((n, u) => n + u.stageHistory.length - 1, 0));
    const reviews = await t.ctx.repos.reviews.list({ open: true });
    expect(reviews).toHaveLength(5);
    expect((await verifyAudit(t.ctx.repos.audit)).ok).toBe(true);
  });

  it('run again when complete, changes nothing', async () => {
    const before = await t.ctx.repos.audit.count();
    expect(await seedDemoUntilComplete(t.ctx)).toMatchObject({ seeded: false });
    expect(await t.ctx.repos.audit.count()).toBe(before);
  });

});
