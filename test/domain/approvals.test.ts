/** Stage-gate approvals on the real database: every refusal, quorum, concurrency, expiry. */
import { castVote } from '../../src/domain/approvals/castVote';
import { cancelApproval } from '../../src/domain/approvals/cancelApproval';
import { expireApprovals } from '../../src/domain/approvals/expireApprovals';
import { listApprovals } from '../../src/domain/approvals/listApprovals';
import { verifyAudit } from '../../src/domain/audit/verifyAudit';
import type { Person, RegisteredModel } from '../../src/domain/types';
import { getUseCase } from '../../src/domain/usecases/getUseCase';
import { requestAdvance } from '../../src/domain/usecases/requestAdvance';
import { useTestContext } from '../support/context';
import { refusal } from '../support/refusal';
import { registerTeam, registerTestPerson, type Team } from '../support/people';
import { proposeTestUseCase } from '../support/usecases';
import { fixtureChange } from '../support/changes';

const t = useTestContext();
let team: Team;
let pm: Person; // owner and requester
let pm2: Person; // a second product manager, who can approve what pm requests


const eventsFor = (type: string, approvalKey: string) =>
  t.events.filter((e) => e.type === type && 'approvalKey' in e && e.approvalKey === approvalKey);

beforeAll(async () => {
  team = await registerTeam(t.ctx);
  pm = team.llm_product_manager;
  pm2 = await registerTestPerson(t.ctx, ['llm_product_manager'], 'Second PM');
});

describe('requesting an advance', () => {
  it('opens an approval for the gate and tier, without moving the stage', async () => {
    const uc = await proposeTestUseCase(t.ctx, pm.id, 'minimal');
    const { approval, exitCriteria } = await requestAdvance(t.ctx, { actorId: pm.id, key: uc.key.toLowerCase() });
    expect(approval).toMatchObject({ useCaseKey: uc.key, gateId: 'prototype', fromStage: 'ideation', toStage: 'prototype', status: 'pending', quorum: 1 });
    expect(approval.requiredRoles).toEqual(['llm_product_manager', 'ai_coe_admin']);
    expect(approval.approverIds.sort()).toEqual([pm2.id, team.ai_coe_admin.id].sort());
    expect(approval.approverIds).not.toContain(pm.id);
    expect(approval.expiresAt.getTime() - t.clock.now().getTime()).toBe(14 * 86_400_000);
    expect(exitCriteria.length).toBeGreaterThan(0);
    expect((await getUseCase(t.ctx, { key: uc.key })).stage).toBe('ideation');
    const requested = eventsFor('approval.requested', approval.key);
    expect(requested).toHaveLength(1);
    expect(requested[0]).toMatchObject({ requesterId: pm.id });
    expect([...(requested[0] as { approverIds: string[] }).approverIds].sort()).toEqual([...approval.approverIds].sort());

    const again = await refusal(requestAdvance(t.ctx, { actorId: pm.id, key: uc.key }));
    expect(again).toMatchObject({ kind: 'conflict', code: 'approval.already_pending' });
  });

  it('refuses a prohibited use case: stored, but it never advances', async () => {
    const uc = await proposeTestUseCase(t.ctx, pm.id, 'prohibited');
    expect(uc.tier).toBe('prohibited');
    const e = await refusal(requestAdvance(t.ctx, { actorId: pm.id, key: uc.key }));
    expect(e).toMatchObject({ kind: 'forbidden', code: 'usecase.prohibited' });
    expect(e.message).toMatch(/Art\. 5\(1\)\(c\)/);
    expect(await t.ctx.repos.approvals.list({ useCaseKey: uc.key })).toHaveLength(0);
  });
});

describe('voting', () => {
  it('refuses self-approval, a voter without the role, and a vote after the decision; one approver decides a 1-of-2 gate', async () => {
    const uc = await proposeTestUseCase(t.ctx, pm.id, 'minimal');
    const { approval } = await requestAdvance(t.ctx, { actorId: pm.id, key: uc.key });

    const self = await refusal(castVote(t.ctx, { actorId: pm.id, approvalKey: approval.key, decision: 'approve' }));
    expect(self).toMatchObject({ kind: 'forbidden', code: 'approval.self_approval' });
    const outsider = await refusal(castVote(t.ctx, { actorId: team.prompt_engineer.id, approvalKey: approval.key, decision: 'approve' }));
    expect(outsider).toMatchObject({ kind: 'forbidden', code: 'approval.not_an_approver' });
    expect((await getUseCase(t.ctx, { key: uc.key })).stage).toBe('ideation');

    const result = await castVote(t.ctx, { actorId: team.ai_coe_admin.id, approvalKey: approval.key.toLowerCase(), decision: 'approve', reason: 'scope is clear' });
    expect(result.decided).toBe('approved');
    expect(result.approval).toMatchObject({ status: 'approved', decidedBy: team.ai_coe_admin.id });
    const after = await getUseCase(t.ctx, { key: uc.key });
    expect(after.stage).toBe('prototype');
    expect(after.stageEnteredAt).toEqual(t.clock.now());
    expect(after.stageHistory.at(-1)).toMatchObject({ from: 'ideation', to: 'prototype', approvalKey: approval.key, by: team.ai_coe_admin.id });

    const decided = eventsFor('approval.decided', approval.key);
    expect(decided).toHaveLength(1);
    expect(decided[0]).toMatchObject({ status: 'approved', requesterId: pm.id });
    const informed = (decided[0] as { informedIds: string[] }).informedIds;
    expect(informed).toContain(pm.id);
    expect(informed).toContain(team.ai_governance_legal.id); // Informed of model_selection

    const late = await refusal(castVote(t.ctx, { actorId: pm2.id, approvalKey: approval.key, decision: 'approve' }));
    expect(late).toMatchObject({ kind: 'conflict', code: 'approval.decided' });
  });

  it('refuses a second vote by the same person, and needs every role when there is no quorum', async () => {
    const uc = await proposeTestUseCase(t.ctx, pm.id, 'transparency');
    await castVote(t.ctx, { actorId: team.ai_coe_admin.id, approvalKey: (await requestAdvance(t.ctx, { actorId: pm.id, key: uc.key })).approval.key, decision: 'approve' });
    const { approval } = await requestAdvance(t.ctx, { actorId: pm.id, key: uc.key });
    expect(approval).toMatchObject({ gateId: 'evaluation', quorum: 2, requiredRoles: ['llm_product_manager', 'domain_expert'] });

    const first = await castVote(t.ctx, { actorId: team.domain_expert.id, approvalKey: approval.key, decision: 'approve' });
    expect(first.decided).toBeUndefined();
    expect(first.approval.status).toBe('pending');
    const twice = await refusal(castVote(t.ctx, { actorId: team.domain_expert.id, approvalKey: approval.key, decision: 'approve' }));
    expect(twice).toMatchObject({ kind: 'conflict', code: 'approval.already_voted' });
    expect((await getUseCase(t.ctx, { key: uc.key })).stage).toBe('prototype');

    const second = await castVote(t.ctx, { actorId: pm2.id, approvalKey: approval.key, decision: 'approve' });
    expect(second.decided).toBe('approved');
    expect((await getUseCase(t.ctx, { key: uc.key })).stage).toBe('evaluation');
  });

  it('one person holding two required roles covers only one of them', async () => {
    const dual = await registerTestPerson(t.ctx, ['llm_product_manager', 'domain_expert'], 'Dual role');
    const uc = await proposeTestUseCase(t.ctx, pm.id, 'transparency');
    await castVote(t.ctx, { actorId: dual.id, approvalKey: (await requestAdvance(t.ctx, { actorId: pm.id, key: uc.key })).approval.key, decision: 'approve' });
    const { approval } = await requestAdvance(t.ctx, { actorId: pm.id, key: uc.key });
    const r = await castVote(t.ctx, { actorId: dual.id, approvalKey: approval.key, decision: 'approve' });
    expect(r.approval.status).toBe('pending');
    const r2 = await castVote(t.ctx, { actorId: pm2.id, approvalKey: approval.key, decision: 'approve' });
    expect(r2.decided).toBe('approved');
  });

  it('a rejection needs a reason, keeps the stage and records the reasons', async () => {
    const uc = await proposeTestUseCase(t.ctx, pm.id, 'high');
    const { approval } = await requestAdvance(t.ctx, { actorId: pm.id, key: uc.key });
    const noReason = await refusal(castVote(t.ctx, { actorId: team.ai_governance_legal.id, approvalKey: approval.key, decision: 'reject' }));
    expect(noReason).toMatchObject({ kind: 'validation' });
    expect(noReason.message).toMatch(/^reason: /);
    const r = await castVote(t.ctx, { actorId: team.ai_governance_legal.id, approvalKey: approval.key, decision: 'reject', reason: 'no DPIA yet' });
    expect(r.decided).toBe('rejected');
    const stored = await t.ctx.repos.approvals.get(approval.key);
    expect(stored?.status).toBe('rejected');
    expect(stored?.reasons.join(' ')).toMatch(/no DPIA yet/);
    expect((await getUseCase(t.ctx, { key: uc.key })).stage).toBe('ideation');
    expect(eventsFor('approval.decided', approval.key)[0]).toMatchObject({ status: 'rejected' });
    // Rejected is closed: a fresh request can be made.
    expect((await requestAdvance(t.ctx, { actorId: pm.id, key: uc.key })).approval.status).toBe('pending');
  });

  it('two concurrent final votes make exactly one decision and one stage change', async () => {
    for (let round = 0; round < 3; round++) {
      const uc = await proposeTestUseCase(t.ctx, pm.id, 'high');
      const { approval } = await requestAdvance(t.ctx, { actorId: pm.id, key: uc.key });
      expect(approval.quorum).toBe(2);
      const results = await Promise.all([
        castVote(t.ctx, { actorId: pm2.id, approvalKey: approval.key, decision: 'approve' }),
        castVote(t.ctx, { actorId: team.ai_governance_legal.id, approvalKey: approval.key, decision: 'approve' }),
      ]);
      expect(results.filter((r) => r.decided === 'approved')).toHaveLength(1);
      expect(eventsFor('approval.decided', approval.key)).toHaveLength(1);
      const after = await getUseCase(t.ctx, { key: uc.key });
      expect(after.stage).toBe('prototype');
      expect(after.stageHistory.filter((h) => h.to === 'prototype')).toHaveLength(1);
      expect(t.events.filter((e) => e.type === 'usecase.stage_changed' && e.useCaseKey === uc.key)).toHaveLength(1);
      expect((await t.ctx.repos.approvals.get(approval.key))?.votes).toHaveLength(2);
    }
  });
});

describe('the evaluation gate and N-of-M', () => {
  const model = (over: Partial<RegisteredModel> = {}): RegisteredModel => ({
    name: 'gate-model',
    displayName: 'Gate model',
    provider: 'local',
    version: '1',
    hosting: 'self_hosted',
    modelName: 'gate-model',
    allowedDataClasses: ['public', 'internal'],
    pricePer1kInput: 0,
    pricePer1kOutput: 0,
    status: 'approved',
    ownerId: team.llmops_engineer.id,
    createdAt: t.clock.now(),
    updatedAt: t.clock.now(),
    ...over,
  });
  const evalAt = (daysAgo: number, passed = true) => ({
    runId: `run-${daysAgo}`,
    suite: 'default',
    at: new Date(t.clock.now().getTime() - daysAgo * 86_400_000),
    passed,
    passRate: passed ? 0.95 : 0.5,
    latencyP50Ms: 100,
    latencyP95Ms: 200,
    tokensIn: 10,
    tokensOut: 10,
    cost: 0,
  });

  it('needs a recent passing evaluation of every model, then 2 of 3 roles including security and legal', async () => {
    await t.ctx.repos.models.create(model(), fixtureChange());
    const uc = await proposeTestUseCase(t.ctx, pm.id, 'minimal', { models: ['gate-model'] });
    for (const voter of [team.ai_coe_admin, team.domain_expert]) {
      const { approval } = await requestAdvance(t.ctx, { actorId: pm.id, key: uc.key });
      expect((await castVote(t.ctx, { actorId: voter.id, approvalKey: approval.key, decision: 'approve' })).decided).toBe('approved');
    }
    const { approval } = await requestAdvance(t.ctx, { actorId: pm.id, key: uc.key });
    expect(approval).toMatchObject({ gateId: 'security_audit', quorum: 2 });
    expect(approval.requiredRoles).toHaveLength(3);

    const none = await refusal(castVote(t.ctx, { actorId: team.llmops_engineer.id, approvalKey: approval.key, decision: 'approve' }));
    expect(none).toMatchObject({ kind: 'forbidden', code: 'approval.eval_required' });
    expect(none.message).toMatch(/gate-model/);

    await t.ctx.repos.models.save({ ...(await t.ctx.repos.models.get('gate-model'))!, latestEval: evalAt(40) }, fixtureChange());
    const stale = await refusal(castVote(t.ctx, { actorId: team.llmops_engineer.id, approvalKey: approval.key, decision: 'approve' }));
    expect(stale.code).toBe('approval.eval_required');
    await t.ctx.repos.models.save({ ...(await t.ctx.repos.models.get('gate-model'))!, latestEval: evalAt(1, false) }, fixtureChange());
    expect((await refusal(castVote(t.ctx, { actorId: team.llmops_engineer.id, approvalKey: approval.key, decision: 'approve' }))).code).toBe('approval.eval_required');

    await t.ctx.repos.models.save({ ...(await t.ctx.repos.models.get('gate-model'))!, latestEval: evalAt(1) }, fixtureChange());
    const one = await castVote(t.ctx, { actorId: team.llmops_engineer.id, approvalKey: approval.key, decision: 'approve' });
    expect(one.approval.status).toBe('pending');
    expect((await getUseCase(t.ctx, { key: uc.key })).stage).toBe('evaluation');
    // Two of three roles meet the count, but the gate must include AI governance/legal too.
    const two = await castVote(t.ctx, { actorId: team.ai_security_specialist.id, approvalKey: approval.key, decision: 'approve' });
    expect(two.decided).toBeUndefined();
    expect((await getUseCase(t.ctx, { key: uc.key })).stage).toBe('evaluation');
    const three = await castVote(t.ctx, { actorId: team.ai_governance_legal.id, approvalKey: approval.key, decision: 'approve' });
    expect(three.decided).toBe('approved');
    expect((await getUseCase(t.ctx, { key: uc.key })).stage).toBe('security_audit');
  });
});

describe('listing, cancelling and expiry', () => {
  it('lists what is pending for me until I vote', async () => {
    const uc = await proposeTestUseCase(t.ctx, pm.id, 'transparency');
    const { approval } = await requestAdvance(t.ctx, { actorId: pm.id, key: uc.key });
    const mine = async (id: string) => (await listApprovals(t.ctx, { actorId: id, pendingForMe: true })).map((a) => a.key);
    expect(await mine(team.ai_coe_admin.id)).toContain(approval.key);
    expect(await mine(pm.id)).not.toContain(approval.key);
    expect(await mine(team.prompt_engineer.id)).not.toContain(approval.key);
    await cancelApproval(t.ctx, { actorId: pm.id, approvalKey: approval.key, reason: 'scope changed' });
    expect(await mine(team.ai_coe_admin.id)).not.toContain(approval.key);
    expect(eventsFor('approval.decided', approval.key)[0]).toMatchObject({ status: 'cancelled' });
  });

  it('only the requester or an admin cancels', async () => {
    const uc = await proposeTestUseCase(t.ctx, pm.id, 'minimal');
    const { approval } = await requestAdvance(t.ctx, { actorId: pm.id, key: uc.key });
    const e = await refusal(cancelApproval(t.ctx, { actorId: team.prompt_engineer.id, approvalKey: approval.key, reason: 'why not' }));
    expect(e.code).toBe('approval.cancel_forbidden');
    expect((await cancelApproval(t.ctx, { actorId: team.ai_coe_admin.id, approvalKey: approval.key, reason: 'duplicate' })).status).toBe('cancelled');
  });

  it('expires an approval past its deadline exactly once; late votes are refused', async () => {
    const uc = await proposeTestUseCase(t.ctx, pm.id, 'minimal');
    const { approval } = await requestAdvance(t.ctx, { actorId: pm.id, key: uc.key });
    t.clock.advanceDays(10);
    expect(await expireApprovals(t.ctx)).not.toContain(approval.key);
    t.clock.advanceDays(5);
    const late = await refusal(castVote(t.ctx, { actorId: team.ai_coe_admin.id, approvalKey: approval.key, decision: 'approve' }));
    expect(late).toMatchObject({ kind: 'conflict', code: 'approval.expired' });
    const [a, b] = await Promise.all([expireApprovals(t.ctx), expireApprovals(t.ctx)]);
    expect([...a, ...b].filter((k) => k === approval.key)).toHaveLength(1);
    expect((await t.ctx.repos.approvals.get(approval.key))?.status).toBe('expired');
    expect(eventsFor('approval.decided', approval.key)).toEqual([expect.objectContaining({ status: 'expired' })]);
    expect((await getUseCase(t.ctx, { key: uc.key })).stage).toBe('ideation');
    expect((await requestAdvance(t.ctx, { actorId: pm.id, key: uc.key })).approval.status).toBe('pending');
  });
});

describe('audit', () => {
  it('records requests, votes, decisions and stage changes in a chain that verifies', async () => {
    const actions = new Set<string>();
    for await (const e of t.ctx.repos.audit.all()) actions.add(e.action);
    for (const a of ['usecase.proposed', 'approval.requested', 'approval.voted', 'approval.decided', 'usecase.stage_changed']) expect(actions).toContain(a);
    expect((await verifyAudit(t.ctx.repos.audit)).ok).toBe(true);
  });
});
