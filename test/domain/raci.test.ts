/** RACI views, reassignment and who approves the next gate. */
import { castVote } from '../../src/domain/approvals/castVote';
import { getRaci } from '../../src/domain/raci/getRaci';
import { reassignRaci } from '../../src/domain/raci/reassignRaci';
import { whoApproves } from '../../src/domain/raci/whoApproves';
import type { Person } from '../../src/domain/types';
import { requestAdvance } from '../../src/domain/usecases/requestAdvance';
import { verifyAudit } from '../../src/domain/audit/verifyAudit';
import { useTestContext } from '../support/context';
import { refusal, withUnstaffedArea } from '../support/refusal';
import { registerTeam, registerTestPerson, type Team } from '../support/people';
import { proposeTestUseCase } from '../support/usecases';

const t = useTestContext();
let team: Team;
let pm: Person;
let pm2: Person;



beforeAll(async () => {
  team = await registerTeam(t.ctx);
  pm = team.llm_product_manager;
  pm2 = await registerTestPerson(t.ctx, ['llm_product_manager'], 'Second PM');
});

describe('getRaci', () => {
  it('shows every area with names and no warnings when fully staffed', async () => {
    const uc = await proposeTestUseCase(t.ctx, pm.id);
    const view = await getRaci(t.ctx, { useCaseKey: uc.key.toLowerCase() });
    expect(view.assignments.map((a) => a.area)).toEqual(t.ctx.policy.raci.map((a) => a.id));
    expect(view.assignments[0].name).toBe(t.ctx.policy.raci[0].name);
    expect(view.warnings).toEqual([]);
    expect((await getRaci(t.ctx, { useCaseKey: uc.key, area: 'prompt_design' })).assignments).toHaveLength(1);
    expect((await refusal(getRaci(t.ctx, { useCaseKey: uc.key, area: 'astrology' }))).code).toBe('raci.unknown_area');
  });

  it('warns when an area has no Accountable', async () => {
    const uc = await proposeTestUseCase(withUnstaffedArea(t.ctx), pm.id);
    const view = await getRaci(withUnstaffedArea(t.ctx), { useCaseKey: uc.key, area: 'red_teaming' });
    expect(view.warnings).toEqual(expect.arrayContaining([expect.stringMatching(/nobody is Accountable/)]));
  });
});

describe('reassignRaci', () => {
  it("lets the area's Accountable or an admin reassign, with exactly one Accountable", async () => {
    const uc = await proposeTestUseCase(t.ctx, pm.id);
    const outsider = await refusal(
      reassignRaci(t.ctx, { actorId: team.prompt_engineer.id, useCaseKey: uc.key, area: 'prompt_design', part: 'consulted', personIds: [team.prompt_engineer.id] }),
    );
    expect(outsider.code).toBe('raci.forbidden');
    const two = await refusal(reassignRaci(t.ctx, { actorId: pm.id, useCaseKey: uc.key, area: 'prompt_design', part: 'accountable', personIds: [pm.id, pm2.id] }));
    expect(two).toMatchObject({ kind: 'validation', code: 'raci.one_accountable' });
    const zero = await refusal(reassignRaci(t.ctx, { actorId: pm.id, useCaseKey: uc.key, area: 'prompt_design', part: 'accountable', personIds: [] }));
    expect(zero.code).toBe('raci.one_accountable');
    const unknown = await refusal(reassignRaci(t.ctx, { actorId: pm.id, useCaseKey: uc.key, area: 'prompt_design', part: 'informed', personIds: ['ghost'] }));
    expect(unknown.kind).toBe('not_found');

    const updated = await reassignRaci(t.ctx, { actorId: pm.id, useCaseKey: uc.key, area: 'prompt_design', part: 'accountable', personIds: [pm2.id] });
    expect(updated.raci.find((r) => r.area === 'prompt_design')?.accountable).toEqual([pm2.id]);
    // pm is no longer Accountable there; the admin still may change it.
    expect((await refusal(reassignRaci(t.ctx, { actorId: pm.id, useCaseKey: uc.key, area: 'prompt_design', part: 'informed', personIds: [] }))).code).toBe('raci.forbidden');
    await reassignRaci(t.ctx, { actorId: team.ai_coe_admin.id, useCaseKey: uc.key, area: 'prompt_design', part: 'informed', personIds: [team.domain_expert.id] });
    const view = await getRaci(t.ctx, { useCaseKey: uc.key, area: 'prompt_design' });
    expect(view.assignments[0]).toMatchObject({ accountable: [pm2.id], informed: [team.domain_expert.id] });
    expect(t.events.filter((e) => e.type === 'raci.changed' && e.useCaseKey === uc.key)).toHaveLength(2);
  });
});

describe('whoApproves', () => {
  it('names the next gate, roles, quorum and eligible people, leaving out a pending requester', async () => {
    const uc = await proposeTestUseCase(t.ctx, pm.id, 'high');
    const before = await whoApproves(t.ctx, { useCaseKey: uc.key });
    expect(before.gate).toMatchObject({ id: 'prototype', from: 'ideation', to: 'prototype' });
    expect(before.roles).toEqual(['llm_product_manager', 'ai_governance_legal']);
    expect(before.quorum).toBe(2);
    expect(before.eligible.map((p) => p.id).sort()).toEqual([pm.id, pm2.id, team.ai_governance_legal.id].sort());

    const { approval } = await requestAdvance(t.ctx, { actorId: pm.id, key: uc.key });
    const during = await whoApproves(t.ctx, { useCaseKey: uc.key });
    expect(during.pendingApprovalKey).toBe(approval.key);
    expect(during.eligible.map((p) => p.id).sort()).toEqual([pm2.id, team.ai_governance_legal.id].sort());

    await castVote(t.ctx, { actorId: pm2.id, approvalKey: approval.key, decision: 'approve' });
    await castVote(t.ctx, { actorId: team.ai_governance_legal.id, approvalKey: approval.key, decision: 'approve' });
    const next = await whoApproves(t.ctx, { useCaseKey: uc.key });
    expect(next.gate?.id).toBe('evaluation');
    expect(next.roles).toEqual(['llm_product_manager', 'domain_expert', 'data_science_ml']);
  });

  it('has no gate for a prohibited use case', async () => {
    const uc = await proposeTestUseCase(t.ctx, pm.id, 'prohibited');
    expect((await whoApproves(t.ctx, { useCaseKey: uc.key })).gate).toBeNull();
  });

  it('audit chain verifies', async () => {
    expect((await verifyAudit(t.ctx.repos.audit)).ok).toBe(true);
  });
});
