/** Use case intake and lifecycle operations on the real database. */
import { verifyAudit } from '../../src/domain/audit/verifyAudit';
import type { Person } from '../../src/domain/types';
import { attachEvidence } from '../../src/domain/usecases/attachEvidence';
import { getUseCase } from '../../src/domain/usecases/getUseCase';
import { listUseCases } from '../../src/domain/usecases/listUseCases';
import { proposeUseCase } from '../../src/domain/usecases/proposeUseCase';
import { requestAdvance } from '../../src/domain/usecases/requestAdvance';
import { resumeUseCase } from '../../src/domain/usecases/resumeUseCase';
import { retireUseCase } from '../../src/domain/usecases/retireUseCase';
import { suspendUseCase } from '../../src/domain/usecases/suspendUseCase';
import { updateUseCase } from '../../src/domain/usecases/updateUseCase';
import { confirmTier } from '../../src/domain/usecases/confirmTier';
import { baselineAnswers, noDerogation } from '../../src/app/seedDemo';
import { useTestContext } from '../support/context';
import { refusal, withUnstaffedArea } from '../support/refusal';
import { registerTeam, registerTestPerson, type Team } from '../support/people';
import { ANSWERS_FOR, proposeTestUseCase } from '../support/usecases';

const t = useTestContext();
let team: Team;
let pm: Person;



beforeAll(async () => {
  team = await registerTeam(t.ctx);
  pm = team.llm_product_manager;
  await registerTestPerson(t.ctx, ['llm_product_manager'], 'Second PM');
});

describe('proposeUseCase', () => {
  it('stores the tier, controls, a named RACI and the first stage', async () => {
    const uc = await proposeUseCase(t.ctx, {
      actorId: pm.id,
      title: 'CV screening assistant',
      description: 'Ranks applicants for recruiters',
      answers: ANSWERS_FOR.high,
      models: ['GPT-Test'],
    });
    expect(uc.key).toMatch(/^UC-\d+$/);
    expect(uc).toMatchObject({ proposerId: pm.id, ownerId: pm.id, stage: 'ideation', tier: 'high', models: ['gpt-test'] });
    expect(uc.tierReasons.join(' ')).toMatch(/Annex III 4/);
    expect(uc.requiredControls.length).toBeGreaterThan(0);
    expect(uc.stageHistory).toEqual([{ from: null, to: 'ideation', at: t.clock.now(), by: pm.id }]);
    const area = (id: string) => uc.raci.find((r) => r.area === id)!;
    expect(area('model_selection').accountable).toEqual([pm.id]);
    expect(area('model_selection').responsible).toEqual([team.data_science_ml.id]);
    expect(area('safety_compliance').accountable).toEqual([team.ai_governance_legal.id]);
    expect(area('infrastructure').responsible).toEqual([team.platform_engineering.id, team.llmops_engineer.id]);
    expect(t.events).toContainEqual(expect.objectContaining({ type: 'usecase.proposed', useCaseKey: uc.key }));
  });

  it('owner: the proposer when a product manager, else the given owner', async () => {
    const byEngineer = await proposeTestUseCase(t.ctx, team.prompt_engineer.id, 'minimal', { ownerId: pm.id });
    expect(byEngineer).toMatchObject({ proposerId: team.prompt_engineer.id, ownerId: pm.id });
    const noOwner = await proposeTestUseCase(t.ctx, team.prompt_engineer.id, 'minimal');
    expect(noOwner.ownerId).toBe(team.prompt_engineer.id);
    const missing = await refusal(proposeTestUseCase(t.ctx, team.prompt_engineer.id, 'minimal', { ownerId: 'nobody' }));
    expect(missing.kind).toBe('not_found');
  });

  it('refuses unregistered proposers and invalid input with a readable message', async () => {
    expect((await refusal(proposeTestUseCase(t.ctx, 'ghost'))).code).toBe('person.unknown');
    const e = await refusal(proposeUseCase(t.ctx, { actorId: pm.id, title: 'x', answers: ANSWERS_FOR.minimal }));
    expect(e.message).toMatch(/^title: /);
  });

  it('an area whose Accountable role nobody holds gets an empty Accountable list', async () => {
    const uc = await proposeTestUseCase(withUnstaffedArea(t.ctx), pm.id, 'minimal');
    expect(uc.raci.find((r) => r.area === 'red_teaming')).toMatchObject({ accountable: [], responsible: [team.ai_security_specialist.id] });
    expect(uc.raci.find((r) => r.area === 'prompt_design')?.accountable).toEqual([pm.id]);
  });
});

describe('getUseCase and listUseCases', () => {
  it('finds a key case-insensitively and names a missing one', async () => {
    const uc = await proposeTestUseCase(t.ctx, pm.id, 'minimal', { title: 'Meeting notes summariser' });
    expect((await getUseCase(t.ctx, { key: ` ${uc.key.toLowerCase()} ` })).title).toBe('Meeting notes summariser');
    const e = await refusal(getUseCase(t.ctx, { key: 'UC-9999' }));
    expect(e).toMatchObject({ kind: 'not_found', code: 'usecase.not_found', message: 'UC-9999 does not exist.' });
    expect((await refusal(getUseCase(t.ctx, { key: 'nine' }))).kind).toBe('validation');
  });

  it('filters by mine, tier, stage and text', async () => {
    const mine = await listUseCases(t.ctx, { actorId: team.prompt_engineer.id, mine: true });
    expect(mine.length).toBeGreaterThan(0);
    expect(mine.every((u) => u.proposerId === team.prompt_engineer.id || u.ownerId === team.prompt_engineer.id || u.raci.some((r) => Object.values(r).flat().includes(team.prompt_engineer.id)))).toBe(true);
    const high = await listUseCases(t.ctx, { tier: 'high' });
    expect(high.map((u) => u.title)).toContain('CV screening assistant');
    expect(high.every((u) => u.tier === 'high')).toBe(true);
    expect((await listUseCases(t.ctx, { text: 'notes SUMMAR' })).map((u) => u.title)).toEqual(['Meeting notes summariser']);
    expect((await listUseCases(t.ctx, { stage: 'pilot' }))).toEqual([]);
  });
});

describe('updateUseCase', () => {
  it('re-classifies on new answers and emits usecase.tier_changed only when the tier moves', async () => {
    const uc = await proposeTestUseCase(t.ctx, pm.id, 'minimal');
    await updateUseCase(t.ctx, { actorId: pm.id, key: uc.key, title: 'Renamed use case' });
    expect(t.events.filter((e) => e.type === 'usecase.tier_changed' && e.useCaseKey === uc.key)).toHaveLength(0);
    const updated = await updateUseCase(t.ctx, { actorId: pm.id, key: uc.key, answers: { interacts_with_people: true, interaction_obvious: false } });
    expect(updated).toMatchObject({ title: 'Renamed use case', tier: 'transparency' });
    expect((await getUseCase(t.ctx, { key: uc.key })).tier).toBe('transparency');
    expect(t.events.filter((e) => e.type === 'usecase.tier_changed' && e.useCaseKey === uc.key)).toHaveLength(1);
    const e = await refusal(updateUseCase(t.ctx, { actorId: team.domain_expert.id, key: uc.key, title: 'Hijacked' }));
    expect(e.code).toBe('usecase.edit_forbidden');
  });
});

describe('tier decisions (issue 13)', () => {
  it('re-answering cannot lower a tier: it waits for AI Governance & Legal, audited', async () => {
    const uc = await proposeTestUseCase(t.ctx, pm.id, 'high');
    expect(uc.legal!.decision).toMatchObject({ tier: 'high', legalBasis: ['Art. 6(2)', 'Annex III 4(a)'], riskVersion: expect.stringMatching(/^sha256:[0-9a-f]{64}$/) });
    const lowered = await updateUseCase(t.ctx, { actorId: pm.id, key: uc.key, answers: { annex_iii_areas: ['none'] } });
    expect(lowered.tier).toBe('high');
    expect(lowered.legal!.pending).toMatchObject({ tier: 'minimal', needs: ['legal_signoff'] });
    expect(lowered.requiredControls).toContain('CTL-RISK-MANAGEMENT');
    const notLegal = await refusal(confirmTier(t.ctx, { actorId: pm.id, key: uc.key }));
    expect(notLegal.code).toBe('usecase.tier_signoff_forbidden');
    expect((await getUseCase(t.ctx, { key: uc.key })).tier).toBe('high');
    const signed = await confirmTier(t.ctx, { actorId: team.ai_governance_legal.id, key: uc.key });
    expect(signed.tier).toBe('minimal');
    expect(signed.legal!.pending).toBeUndefined();
    expect(signed.legal!.decision.by).toBe(team.ai_governance_legal.id);
    const again = await refusal(confirmTier(t.ctx, { actorId: team.ai_governance_legal.id, key: uc.key }));
    expect(again.code).toBe('usecase.no_pending_tier');
    expect((await verifyAudit(t.ctx.repos.audit)).ok).toBe(true);
  });

  it('an Art. 6(3) derogation holds only with the Art. 6(4) assessment recorded at sign-off', async () => {
    const uc = await proposeUseCase(t.ctx, {
      actorId: pm.id,
      title: 'Indexing applications for recruiters',
      answers: baselineAnswers({ annex_iii_areas: ['employment_recruitment'], ...noDerogation, art_6_3_d_preparatory: true, material_influence: false }),
    });
    expect(uc.tier).toBe('high');
    expect(uc.legal!.pending).toMatchObject({ tier: 'minimal', needs: ['legal_signoff', 'art6_4_assessment'] });
    const noAssessment = await refusal(confirmTier(t.ctx, { actorId: team.ai_governance_legal.id, key: uc.key }));
    expect(noAssessment.code).toBe('usecase.art6_4_missing');
    const badLink = await refusal(confirmTier(t.ctx, { actorId: team.ai_governance_legal.id, key: uc.key, assessment: { url: 'javascript:x', summary: 'Preparatory indexing only' } }));
    expect(badLink.message).toMatch(/assessment/);
    const signed = await confirmTier(t.ctx, { actorId: team.ai_governance_legal.id, key: uc.key, assessment: { url: 'https://wiki.example.com/art6-4', summary: 'Preparatory indexing only; recruiters assess.' } });
    expect(signed.tier).toBe('minimal');
    expect(signed.legal!.art6Assessment).toMatchObject({ url: 'https://wiki.example.com/art6-4', by: team.ai_governance_legal.id });
  });
});

describe('attachEvidence', () => {
  it('accepts evidence for a required control and refuses others or a bad URL', async () => {
    const uc = await proposeTestUseCase(t.ctx, pm.id, 'high');
    const control = uc.requiredControls[0];
    const done = await attachEvidence(t.ctx, { actorId: pm.id, key: uc.key, controlId: control.toLowerCase(), url: 'https://wiki.example.com/tm' });
    expect(done.evidence).toEqual([expect.objectContaining({ controlId: control, url: 'https://wiki.example.com/tm', by: pm.id })]);
    const notRequired = await refusal(attachEvidence(t.ctx, { actorId: pm.id, key: uc.key, controlId: 'CTL-NOPE', url: 'https://x.example.com' }));
    expect(notRequired.code).toBe('usecase.control_not_required');
    const badUrl = await refusal(attachEvidence(t.ctx, { actorId: pm.id, key: uc.key, controlId: control, url: 'javascript:alert(1)' }));
    expect(badUrl.message).toMatch(/^url: /);
  });
});

describe('kill switch, resume and retire', () => {
  it('suspends (cancelling a pending approval), refuses advancing, resumes to the stage it left', async () => {
    const uc = await proposeTestUseCase(t.ctx, pm.id, 'minimal');
    const { approval } = await requestAdvance(t.ctx, { actorId: pm.id, key: uc.key });
    const noReason = await refusal(suspendUseCase(t.ctx, { actorId: pm.id, key: uc.key, reason: '' }));
    expect(noReason.message).toMatch(/^reason: /);
    const outsider = await refusal(suspendUseCase(t.ctx, { actorId: team.prompt_engineer.id, key: uc.key, reason: 'I dislike it' }));
    expect(outsider.code).toBe('usecase.suspend_forbidden');

    t.clock.advanceDays(1);
    const s = await suspendUseCase(t.ctx, { actorId: team.ai_security_specialist.id, key: uc.key, reason: 'prompt injection found' });
    expect(s).toMatchObject({ stage: 'suspended', suspendedFrom: 'ideation' });
    expect(s.stageEnteredAt).toEqual(t.clock.now());
    expect((await t.ctx.repos.approvals.get(approval.key))?.status).toBe('cancelled');
    expect((await refusal(requestAdvance(t.ctx, { actorId: pm.id, key: uc.key }))).code).toBe('usecase.not_active');
    expect((await refusal(resumeUseCase(t.ctx, { actorId: pm.id, key: uc.key, reason: 'fixed it' }))).code).toBe('usecase.resume_forbidden');

    const r = await resumeUseCase(t.ctx, { actorId: team.ai_governance_legal.id, key: uc.key, reason: 'filter deployed' });
    expect(r.stage).toBe('ideation');
    const stored = await getUseCase(t.ctx, { key: uc.key });
    expect(stored.suspendedFrom).toBeUndefined();
    expect(stored.stageHistory.map((h) => h.to)).toEqual(['ideation', 'suspended', 'ideation']);
    expect(stored.stageHistory[1]).toMatchObject({ reason: 'prompt injection found', by: team.ai_security_specialist.id });
  });

  it('retires for good: owner or admin only', async () => {
    const uc = await proposeTestUseCase(t.ctx, pm.id, 'minimal');
    expect((await refusal(retireUseCase(t.ctx, { actorId: team.domain_expert.id, key: uc.key, reason: 'no longer needed' }))).code).toBe('usecase.retire_forbidden');
    const r = await retireUseCase(t.ctx, { actorId: pm.id, key: uc.key, reason: 'no longer needed' });
    expect(r.stage).toBe('retired');
    expect((await refusal(retireUseCase(t.ctx, { actorId: pm.id, key: uc.key, reason: 'again' }))).kind).toBe('conflict');
    expect((await refusal(suspendUseCase(t.ctx, { actorId: pm.id, key: uc.key, reason: 'switch it off' }))).kind).toBe('conflict');
    expect(t.events).toContainEqual(expect.objectContaining({ type: 'usecase.stage_changed', useCaseKey: uc.key, from: 'ideation', to: 'retired' }));
  });
});

describe('audit', () => {
  it('writes an entry for each kind of change and the chain verifies', async () => {
    const actions = new Set<string>();
    for await (const e of t.ctx.repos.audit.all()) actions.add(e.action);
    for (const a of ['usecase.proposed', 'usecase.updated', 'usecase.evidence_attached', 'usecase.suspended', 'usecase.resumed', 'usecase.retired', 'approval.decided']) {
      expect(actions).toContain(a);
    }
    expect((await verifyAudit(t.ctx.repos.audit)).ok).toBe(true);
  });
});
