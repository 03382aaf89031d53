import { verifyAudit } from '../../src/domain/audit/verifyAudit';
import { seedDemoIfEmpty } from '../../src/app/seedDemo';
import { checkModelUse } from '../../src/domain/registry/checkModelUse';
import { useTestContext } from '../support/context';

const t = useTestContext();

describe('seedDemoIfEmpty', () => {
  it('builds the demo organisation through the domain, with a valid audit trail', async () => {
    const summary = await seedDemoIfEmpty(t.ctx);
    expect(summary.seeded).toBe(true);

    const people = await t.ctx.repos.people.list();
    for (const role of t.ctx.policy.roles.map((r) => r.id)) expect(people.some((p) => p.roles.includes(role))).toBe(true);
    expect(people.every((p) => /^U0DEMO\d{3}$/.test(p.slackUserId ?? '') && p.email?.endsWith('@demo.example.com') && p.teamsAadObjectId)).toBe(true);

    const ucs = await t.ctx.repos.useCases.list();
    expect(ucs).toHaveLength(6);
    expect(new Set(ucs.map((u) => u.stage))).toEqual(new Set(['production', 'pilot', 'evaluation', 'prototype', 'ideation']));
    expect(new Set(ucs.map((u) => u.tier))).toEqual(new Set(['minimal', 'transparency', 'high', 'prohibited']));
    const prod = ucs.find((u) => u.stage === 'production')!;
    expect(prod.stageHistory.map((h) => h.to)).toEqual(['ideation', 'prototype', 'evaluation', 'security_audit', 'pilot', 'production']);
    expect(prod.stageHistory.slice(1).every((h) => !!h.approvalKey)).toBe(true);

    const models = await t.ctx.repos.models.list();
    expect(models.map((m) => [m.name, m.status])).toEqual([
      ['gpt-4o', 'approved'],
      ['llama-3.1-8b-gpu', 'approved'],
      ['mistral-small', 'restricted'],
    ]);
    const gpu = models.find((m) => m.hosting === 'self_hosted')!;
    expect(gpu.baseUrl).toBe('http://127.0.0.1:8000/v1');
    expect(gpu.allowedDataClasses).toContain('personal');
    const support = ucs.find((u) => u.stage === 'pilot')!;
    expect((await checkModelUse(t.ctx, { useCaseKey: support.key, modelName: 'llama-3.1-8b-gpu', dataClass: 'personal' })).allowed).toBe(true);
    expect((await checkModelUse(t.ctx, { useCaseKey: support.key, modelName: 'gpt-4o', dataClass: 'personal' })).allowed).toBe(false);

    const open = await t.ctx.repos.incidents.list({ status: ['reported', 'triaged', 'mitigating'] });
    expect(open.map((i) => i.key)).toEqual(summary.incidents);
    expect(open[0].description).toContain('[REDACTED:email]');
    const pending = await t.ctx.repos.approvals.list({ status: 'pending' });
    expect(pending.map((a) => a.key)).toEqual(summary.pendingApprovals);

    const reviews = await t.ctx.repos.reviews.list({ open: true });
    expect(reviews).toHaveLength(5); // every use case but the prohibited one
    const v = await verifyAudit(t.ctx.repos.audit);
    expect(v.ok).toBe(true);
    expect(v.entries).toBeGreaterThan(40);
  });

  it('does nothing when people exist', async () => {
    const before = await t.ctx.repos.audit.count();
    const again = await seedDemoIfEmpty(t.ctx);
    expect(again.seeded).toBe(false);
    expect(await t.ctx.repos.audit.count()).toBe(before);
    expect(await t.ctx.repos.useCases.list()).toHaveLength(6);
  });
});
