/**
 * The security-audit and go-live gates must include AI security and AI governance/legal,
 * whatever their N-of-M quorum (playbooks/lifecycle.yaml `mustInclude`), on the real database.
 */
import { castVote } from '../../src/domain/approvals/castVote';
import { requestApproval } from '../../src/domain/approvals/requestApproval';
import { DomainError } from '../../src/domain/errors';
import type { Approval, Person, RegisteredModel, UseCase } from '../../src/domain/types';
import { getUseCase } from '../../src/domain/usecases/getUseCase';
import { requestAdvance } from '../../src/domain/usecases/requestAdvance';
import { useTestContext } from '../support/context';
import { registerTeam, registerTestPerson, type Team } from '../support/people';
import { proposeTestUseCase } from '../support/usecases';
import { fixtureChange } from '../support/changes';

const t = useTestContext();
let team: Team;
let pm: Person; // owner and requester
let pm2: Person;
let sec2: Person; // a second AI security specialist
let dual: Person; // holds both AI security and AI governance/legal

const MODEL = 'must-include-model';

beforeAll(async () => {
  team = await registerTeam(t.ctx);
  pm = team.llm_product_manager;
  pm2 = await registerTestPerson(t.ctx, ['llm_product_manager'], 'Second PM');
  sec2 = await registerTestPerson(t.ctx, ['ai_security_specialist'], 'Second security specialist');
  dual = await registerTestPerson(t.ctx, ['ai_security_specialist', 'ai_governance_legal'], 'Security and legal');
  const now = t.clock.now();
  const model: RegisteredModel = {
    name: MODEL,
    displayName: 'Must-include model',
    provider: 'local',
    version: '1',
    hosting: 'self_hosted',
    modelName: MODEL,
    allowedDataClasses: ['public', 'internal'],
    pricePer1kInput: 0,
    pricePer1kOutput: 0,
    status: 'approved',
    ownerId: team.llmops_engineer.id,
    createdAt: now,
    updatedAt: now,
    latestEval: { runId: 'run-1', suite: 'default', at: now, passed: true, passRate: 0.97, latencyP50Ms: 100, latencyP95Ms: 200, tokensIn: 10, tokensOut: 10, cost: 0 },
  };
  await t.ctx.repos.models.create(model, fixtureChange());
});

async function open(uc: UseCase): Promise<Approval> {
  return (await requestAdvance(t.ctx, { actorId: pm.id, key: uc.key })).approval;
}

/** Casts approving votes in order; returns what each vote decided (undefined: still pending). */
async function approveBy(approval: Approval, voters: Person[]): Promise<(string | undefined)[]> {
  const decided: (string | undefined)[] = [];
  for (const v of voters) decided.push((await castVote(t.ctx, { actorId: v.id, approvalKey: approval.key, decision: 'approve' })).decided);
  return decided;
}

/** A minimal-risk use case walked up to (not through) the gate into `stage`. */
async function minimalUseCaseBefore(stage: 'security_audit' | 'production'): Promise<UseCase> {
  const uc = await proposeTestUseCase(t.ctx, pm.id, 'minimal', { models: [MODEL] });
  const path: Person[][] = [[team.ai_coe_admin], [team.domain_expert]];
  if (stage === 'production') path.push([team.ai_security_specialist, team.ai_governance_legal], [team.ai_security_specialist, team.platform_engineering]);
  for (const voters of path) expect((await approveBy(await open(uc), voters)).at(-1)).toBe('approved');
  return getUseCase(t.ctx, { key: uc.key });
}

describe('security audit gate, minimal tier (2 of 3, must include security and legal)', () => {
  it('LLMOps and legal meet the count but do not decide it without AI security', async () => {
    const uc = await minimalUseCaseBefore('security_audit');
    expect(uc.stage).toBe('evaluation');
    const approval = await open(uc);
    expect(approval).toMatchObject({ gateId: 'security_audit', quorum: 2 });
    expect(await approveBy(approval, [team.llmops_engineer, team.ai_governance_legal])).toEqual([undefined, undefined]);
    expect((await t.ctx.repos.approvals.get(approval.key))!.status).toBe('pending');
    expect((await getUseCase(t.ctx, { key: uc.key })).stage).toBe('evaluation');

    expect(await approveBy(approval, [team.ai_security_specialist])).toEqual(['approved']);
    expect((await getUseCase(t.ctx, { key: uc.key })).stage).toBe('security_audit');
  });
});

describe('production gate, minimal tier (2 of 3, must include security and legal)', () => {
  it('two security specialists do not decide it; legal then does', async () => {
    const uc = await minimalUseCaseBefore('production');
    expect(uc.stage).toBe('pilot');
    const approval = await open(uc);
    expect(approval).toMatchObject({ gateId: 'production', quorum: 2 });
    expect(await approveBy(approval, [team.ai_security_specialist, sec2])).toEqual([undefined, undefined]);
    expect((await getUseCase(t.ctx, { key: uc.key })).stage).toBe('pilot');
    expect(await approveBy(approval, [team.ai_governance_legal])).toEqual(['approved']);
    expect((await getUseCase(t.ctx, { key: uc.key })).stage).toBe('production');
  });

  it('the product manager and legal do not decide it without AI security', async () => {
    const uc = await minimalUseCaseBefore('production');
    const approval = await open(uc);
    expect(await approveBy(approval, [pm2, team.ai_governance_legal])).toEqual([undefined, undefined]);
    expect((await t.ctx.repos.approvals.get(approval.key))!.status).toBe('pending');
    expect(await approveBy(approval, [sec2])).toEqual(['approved']);
    expect((await getUseCase(t.ctx, { key: uc.key })).stage).toBe('production');
  });

  it('one person holding security and legal covers only one of them', async () => {
    const uc = await minimalUseCaseBefore('production');
    const approval = await open(uc);
    expect(await approveBy(approval, [dual, pm2])).toEqual([undefined, undefined]);
    expect((await getUseCase(t.ctx, { key: uc.key })).stage).toBe('pilot');
    expect(await approveBy(approval, [team.ai_governance_legal])).toEqual(['approved']);
  });
});

describe('requesting a gate whose must-include role nobody else holds', () => {
  // Its own database: an organisation whose only AI governance/legal person asks for the gate.
  const small = useTestContext();
  it('is refused up front, naming the role, even though the 2-of-3 count could be met', async () => {
    const requester = await registerTestPerson(small.ctx, ['llm_product_manager', 'ai_governance_legal'], 'PM and only legal');
    await registerTestPerson(small.ctx, ['llmops_engineer']);
    await registerTestPerson(small.ctx, ['ai_security_specialist']);
    const uc = await proposeTestUseCase(small.ctx, requester.id, 'minimal');
    const gate = small.ctx.policy.lifecycle.gates.find((g) => g.id === 'security_audit')!;
    const e = await requestApproval(small.ctx, { useCase: uc, gate, requester }).then(
      () => null,
      (err: unknown) => err,
    );
    expect(e).toBeInstanceOf(DomainError);
    expect(e).toMatchObject({ kind: 'conflict', code: 'approval.no_approvers', details: { roles: ['ai_governance_legal'] } });
    expect((e as DomainError).message).toMatch(/no one else holds ai_governance_legal/);
    expect(await small.ctx.repos.approvals.list({ useCaseKey: uc.key })).toHaveLength(0);
  });
});

describe('must-include roles are fixed when the request is made', () => {
  it('a playbook edit after the request does not drop legal from a pending approval', async () => {
    const uc = await minimalUseCaseBefore('production');
    const approval = await open(uc);
    expect(approval.mustInclude).toEqual(expect.arrayContaining(['ai_security_specialist', 'ai_governance_legal']));
    // The organisation edits the playbook: no must-include roles on any gate any more.
    const relaxed = {
      ...t.ctx,
      policy: {
        ...t.ctx.policy,
        lifecycle: {
          ...t.ctx.policy.lifecycle,
          gates: t.ctx.policy.lifecycle.gates.map((g) => ({
            ...g,
            approvers: Object.fromEntries(Object.entries(g.approvers).map(([tier, r]) => [tier, { ...r, mustInclude: undefined }])) as typeof g.approvers,
          })),
        },
      },
    };
    const decided: (string | undefined)[] = [];
    for (const v of [team.ai_security_specialist, sec2]) decided.push((await castVote(relaxed, { actorId: v.id, approvalKey: approval.key, decision: 'approve' })).decided);
    expect(decided).toEqual([undefined, undefined]);
    expect((await t.ctx.repos.approvals.get(approval.key))!.status).toBe('pending');
  });
});
