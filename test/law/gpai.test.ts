/**
 * General-purpose AI models in the registry (issue 13): the GPAI provider, whether it carries
 * systemic risk (Art. 51) and the link to the provider's Art. 53 documentation; and a use case
 * built on a GPAI model must record the downstream provider information (Art. 53(1)(b)) before
 * it reaches users. Real database; refusals write nothing.
 */
import { createConversation, type Conversation, type Reply } from '../../src/conversation/handlers';
import { castVote } from '../../src/domain/approvals/castVote';
import { registerModel } from '../../src/domain/registry/registerModel';
import { setModelStatus } from '../../src/domain/registry/setModelStatus';
import { updateModel } from '../../src/domain/registry/updateModel';
import { requestAdvance } from '../../src/domain/usecases/requestAdvance';
import { updateUseCase } from '../../src/domain/usecases/updateUseCase';
import type { UseCase } from '../../src/domain/types';
import { fixtureChange } from '../support/changes';
import { useTestContext } from '../support/context';
import { registerTeam, type Team } from '../support/people';
import { refusal } from '../support/refusal';
import { proposeTestUseCase } from '../support/usecases';

const t = useTestContext();
let team: Team;
let convo: Conversation;
let unexpected: unknown[] = [];
const text = (r: Reply): string => JSON.stringify(r.cards.map((c) => [c.title, c.sections, c.fields]));

const base = (name: string) => ({
  actorId: team.llmops_engineer!.id,
  name,
  provider: 'acme-cloud',
  version: '1',
  hosting: 'hosted_api' as const,
  modelName: name,
  allowedDataClasses: ['public' as const, 'internal' as const],
});

beforeAll(async () => {
  t.clock.set('2026-12-04T09:00:00Z');
  team = await registerTeam(t.ctx);
  convo = createConversation({ ctx: t.ctx, onUnexpectedError: (e) => unexpected.push((e as Error).stack ?? e) });
});
afterEach(() => {
  expect(unexpected).toEqual([]);
  unexpected = [];
});

describe('GPAI fields in the registry', () => {
  it('stores provider, systemic risk and the Art. 53 link, and shows them on the model card', async () => {
    const m = await registerModel(t.ctx, { ...base('frontier-x'), gpai: { provider: 'Frontier Labs', systemicRisk: true, art53DocsUrl: 'https://frontier.example.com/annex-xii' } });
    expect(m.gpai).toEqual({ provider: 'Frontier Labs', systemicRisk: true, art53DocsUrl: 'https://frontier.example.com/annex-xii' });
    expect((await t.ctx.repos.models.get('frontier-x'))!.gpai).toEqual(m.gpai);
    expect(await t.ctx.repos.audit.head('model:frontier-x')).toMatchObject({ data: { gpai: { systemicRisk: true } } });
    const card = text(await convo.handle(team.llmops_engineer!, { kind: 'command', text: 'model frontier-x' }));
    expect(card).toContain('systemic risk (Art. 51)');
    expect(card).toContain('https://frontier.example.com/annex-xii');
  });

  it('refuses systemic risk without the documentation link, and a link that is not http(s); nothing is written', async () => {
    expect(await refusal(registerModel(t.ctx, { ...base('big-y'), gpai: { provider: 'Y', systemicRisk: true } }))).toMatchObject({ code: 'model.invalid' });
    expect(await refusal(registerModel(t.ctx, { ...base('big-y'), gpai: { provider: 'Y', systemicRisk: false, art53DocsUrl: 'ftp://y/docs' } }))).toMatchObject({ code: 'model.invalid' });
    expect(await t.ctx.repos.models.get('big-y')).toBeNull();
  });

  it('can be added to a registered model', async () => {
    await registerModel(t.ctx, base('open-z'));
    const m = await updateModel(t.ctx, { actorId: team.llmops_engineer!.id, name: 'open-z', changes: { gpai: { provider: 'Open Z', systemicRisk: false } } });
    expect(m.gpai).toEqual({ provider: 'Open Z', systemicRisk: false });
  });

  it('"model <name> gpai none" clears the fields: an approver\'s decision, audited, and the downstream check no longer applies', async () => {
    await registerModel(t.ctx, { ...base('cleared-g'), gpai: { provider: 'G Labs', systemicRisk: false } });
    const uc = await proposeTestUseCase(t.ctx, team.llm_product_manager.id, 'minimal', { models: ['cleared-g'] });
    await t.ctx.repos.useCases.save({ ...uc, stage: 'security_audit', stageEnteredAt: t.clock.now() }, fixtureChange('test.fixture', t.clock.now()));
    await setModelStatus(t.ctx, { actorId: team.ai_security_specialist!.id, name: 'cleared-g', status: 'approved', reason: 'reviewed' });
    expect(await refusal(requestAdvance(t.ctx, { actorId: team.llm_product_manager.id, key: uc.key }))).toMatchObject({ code: 'usecase.gpai_info_required' });

    // The model's engineer may record GPAI fields, but not take them away: refused, nothing written.
    const before = (await t.ctx.repos.models.get('cleared-g'))!;
    const refused = JSON.stringify((await convo.handle(team.llmops_engineer!, { kind: 'command', text: 'model cleared-g gpai none' })).cards);
    expect(refused).toMatch(/Not allowed.*is an approval decision/);
    expect((await t.ctx.repos.models.get('cleared-g'))!).toEqual(before);
    // Words after "none" are refused by the grammar.
    expect(JSON.stringify((await convo.handle(team.ai_governance_legal!, { kind: 'command', text: 'model cleared-g gpai none please' })).cards)).toContain('Nothing goes after');

    const done = JSON.stringify((await convo.handle(team.ai_governance_legal!, { kind: 'command', text: 'model cleared-g gpai none' })).cards);
    expect(done).toContain('is not treated as a general-purpose AI model');
    const after = (await t.ctx.repos.models.get('cleared-g'))!;
    expect(after.gpai).toBeUndefined();
    expect(after.rev).toBe(before.rev! + 1);
    expect(await t.ctx.repos.audit.head('model:cleared-g')).toMatchObject({ action: 'model.updated', actorId: team.ai_governance_legal!.id, data: { changes: { gpai: { from: { provider: 'G Labs' }, to: null } } } });
    await expect(requestAdvance(t.ctx, { actorId: team.llm_product_manager.id, key: uc.key })).resolves.toMatchObject({ approval: { toStage: 'pilot' } });
  });
});

describe('a use case on a GPAI model records the downstream provider information', () => {
  async function atSecurityAudit(models: string[]): Promise<UseCase> {
    const uc = await proposeTestUseCase(t.ctx, team.llm_product_manager.id, 'minimal', { models });
    return (await t.ctx.repos.useCases.save({ ...uc, stage: 'security_audit', stageEnteredAt: t.clock.now() }, fixtureChange('test.fixture', t.clock.now()))).record;
  }

  it('is refused the pilot gate until it does, then may ask for it', async () => {
    await setModelStatus(t.ctx, { actorId: team.ai_security_specialist!.id, name: 'frontier-x', status: 'approved', reason: 'reviewed' });
    const uc = await atSecurityAudit(['frontier-x']);
    const pm = team.llm_product_manager;
    const e = await refusal(requestAdvance(t.ctx, { actorId: pm.id, key: uc.key }));
    expect(e).toMatchObject({ code: 'usecase.gpai_info_required' });
    expect(e.message).toContain('Art. 53(1)(b)');
    expect(await t.ctx.repos.approvals.list({ useCaseKey: uc.key })).toEqual([]);

    await updateUseCase(t.ctx, { actorId: pm.id, key: uc.key, answers: { gpai_downstream_info: 'https://frontier.example.com/annex-xii' } });
    const { approval } = await requestAdvance(t.ctx, { actorId: pm.id, key: uc.key });
    expect(approval).toMatchObject({ useCaseKey: uc.key, toStage: 'pilot' });
  });

  it('is checked again at each approving vote: cleared after the request, the vote is refused and nothing is counted', async () => {
    const uc = await atSecurityAudit(['frontier-x']);
    const pm = team.llm_product_manager;
    await updateUseCase(t.ctx, { actorId: pm.id, key: uc.key, answers: { gpai_downstream_info: 'https://frontier.example.com/annex-xii' } });
    const { approval } = await requestAdvance(t.ctx, { actorId: pm.id, key: uc.key });
    // Between the request and the vote, the answer is taken back.
    await updateUseCase(t.ctx, { actorId: pm.id, key: uc.key, answers: { gpai_downstream_info: '' } });
    const voter = (team as unknown as Record<string, { id: string } | undefined>)[approval.requiredRoles[0]!]!;
    const e = await refusal(castVote(t.ctx, { actorId: voter.id, approvalKey: approval.key, decision: 'approve' }));
    expect(e).toMatchObject({ code: 'usecase.gpai_info_required' });
    expect((await t.ctx.repos.approvals.get(approval.key))!).toMatchObject({ status: 'pending', votes: [] });

    // Recorded again: the same vote counts.
    await updateUseCase(t.ctx, { actorId: pm.id, key: uc.key, answers: { gpai_downstream_info: 'https://frontier.example.com/annex-xii' } });
    const { vote } = await castVote(t.ctx, { actorId: voter.id, approvalKey: approval.key, decision: 'approve' });
    expect(vote).toMatchObject({ personId: voter.id, decision: 'approve' });
  });

  it('does not apply to a use case on models that are not GPAI, nor before the pilot gate', async () => {
    await registerModel(t.ctx, base('plain-m'));
    await setModelStatus(t.ctx, { actorId: team.ai_security_specialist!.id, name: 'plain-m', status: 'approved', reason: 'reviewed' });
    const plain = await atSecurityAudit(['plain-m']);
    await expect(requestAdvance(t.ctx, { actorId: team.llm_product_manager.id, key: plain.key })).resolves.toBeDefined();
    const early = await proposeTestUseCase(t.ctx, team.llm_product_manager.id, 'minimal', { models: ['frontier-x'] });
    await expect(requestAdvance(t.ctx, { actorId: team.llm_product_manager.id, key: early.key })).resolves.toBeDefined();
  });
});
