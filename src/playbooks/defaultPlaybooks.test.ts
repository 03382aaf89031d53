/**
 * The default playbooks an organisation adopts on day one: they load, they say what the
 * operating model promises, and their regulatory facts equal the reference data.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { catalogue, resolveFrameworkId } from '../catalog';
import { mustIncludeFor, quorumMet } from '../domain/approvals/quorum';
import { ALL_STAGES, RISK_TIERS, type RiskTier } from '../domain/types';
import { applicationDate, defaultPolicy, loadPolicy } from './index';
import { referencePath } from '../../test/support/reference';

const refDir =
  referencePath('frameworks');
const euRef = () => JSON.parse(readFileSync(path.join(refDir, 'eu-ai-act.json'), 'utf8'));

const policy = loadPolicy();

it('defaultPolicy() loads the repository playbooks once', () => {
  expect(defaultPolicy()).toBe(defaultPolicy());
  expect(defaultPolicy()).toEqual(policy);
});

describe('roles and RACI', () => {
  it('defines the ten roles of the operating model', () => {
    expect(policy.roles.map((r) => r.id).sort()).toEqual(
      [
        'ai_coe_admin',
        'ai_governance_legal',
        'ai_security_specialist',
        'data_science_ml',
        'domain_expert',
        'llm_product_manager',
        'llmops_engineer',
        'platform_engineering',
        'product_ux_design',
        'prompt_engineer',
      ].sort(),
    );
    for (const r of policy.roles) expect(r.description.length).toBeGreaterThan(20);
  });
  it('has five areas, each with one Accountable role that exists', () => {
    expect(policy.raci.map((a) => a.id)).toEqual([
      'model_selection',
      'prompt_design',
      'infrastructure',
      'safety_compliance',
      'user_experience',
    ]);
    const roles = new Set(policy.roles.map((r) => r.id));
    for (const a of policy.raci) {
      expect(typeof a.accountable).toBe('string');
      expect(roles.has(a.accountable)).toBe(true);
      expect(a.responsible.length).toBeGreaterThan(0);
    }
  });
});

describe('lifecycle', () => {
  const gate = (id: string) => policy.lifecycle.gates.find((g) => g.id === id)!;
  it('defines every stage, and a gate into each stage after ideation', () => {
    expect(policy.lifecycle.stages.map((s) => s.id).sort()).toEqual([...ALL_STAGES].sort());
    expect(policy.lifecycle.gates.map((g) => `${g.from}->${g.to}`)).toEqual([
      'ideation->prototype',
      'prototype->evaluation',
      'evaluation->security_audit',
      'security_audit->pilot',
      'pilot->production',
      'production->continuous_improvement',
    ]);
    for (const g of policy.lifecycle.gates) expect(g.id).toBe(g.to);
    expect(policy.lifecycle.stages.find((s) => s.id === 'pilot')!.stalledAfterDays).toBe(60);
  });
  it('gives every gate approvers for all four tiers, with a valid quorum', () => {
    for (const g of policy.lifecycle.gates) {
      expect(Object.keys(g.approvers).sort()).toEqual([...RISK_TIERS].sort());
      for (const rule of Object.values(g.approvers)) {
        expect(rule.roles.length).toBeGreaterThan(0);
        if (rule.quorum !== undefined) expect(rule.quorum).toBeLessThanOrEqual(rule.roles.length);
      }
      expect(g.expiresAfterDays).toBeGreaterThanOrEqual(7);
      expect(g.expiresAfterDays).toBeLessThanOrEqual(14);
    }
    expect(policy.lifecycle.gates.some((g) => Object.values(g.approvers).some((r) => r.quorum !== undefined))).toBe(true);
  });
  it('high risk needs at least as many approvals as lower tiers', () => {
    const needed = (r: { roles: string[]; quorum?: number }) => r.quorum ?? r.roles.length;
    for (const g of policy.lifecycle.gates) {
      expect(needed(g.approvers.high)).toBeGreaterThanOrEqual(needed(g.approvers.transparency));
      expect(needed(g.approvers.transparency)).toBeGreaterThanOrEqual(needed(g.approvers.minimal));
    }
  });
  it('requires (not merely lists) security and legal on the security-audit and production gates, for every tier', () => {
    const mandatory = ['ai_security_specialist', 'ai_governance_legal'];
    // One approving person per role: the most favourable vote set that leaves some roles out.
    const decides = (id: string, tier: RiskTier, voterRoles: string[]) => {
      const rule = gate(id).approvers[tier];
      const approval = {
        gateId: id,
        requiredRoles: rule.roles,
        quorum: rule.quorum ?? rule.roles.length,
        votes: voterRoles.map((role) => ({ approvalKey: 'APR-1', personId: `p-${role}`, decision: 'approve' as const, role, at: new Date(0) })),
      };
      const voters = new Map(voterRoles.map((role) => [`p-${role}`, { id: `p-${role}`, name: role, roles: [role], createdAt: new Date(0) }]));
      return quorumMet({ ...approval, mustInclude: mustIncludeFor(policy, approval, tier) }, voters);
    };
    for (const id of ['security_audit', 'production']) {
      for (const tier of RISK_TIERS) {
        const roles = gate(id).approvers[tier].roles;
        expect(gate(id).approvers[tier].mustInclude).toEqual(expect.arrayContaining(mandatory));
        expect(decides(id, tier, roles)).toBe(true);
        for (const left of mandatory) {
          // Everyone else approves, which meets any N-of-M count, yet without this role the gate stays shut.
          expect({ id, tier, left, decided: decides(id, tier, roles.filter((r) => r !== left)) }).toEqual({ id, tier, left, decided: false });
        }
      }
    }
    // The minimal tier's 2-of-3 passes with exactly security and legal.
    expect(decides('production', 'minimal', mandatory)).toBe(true);
    expect(decides('security_audit', 'minimal', mandatory)).toBe(true);
  });
  it('requires a recent passing evaluation to leave evaluation', () => {
    expect(gate('security_audit').from).toBe('evaluation');
    expect(gate('security_audit').requiresPassingEvalWithinDays).toBe(30);
  });
});

describe('risk questionnaire', () => {
  const q = (id: string) => policy.risk.questions.find((x) => x.id === id)!;
  it('offers every Art. 5(1) practice, plus none', () => {
    const p = q('prohibited_practices');
    expect(p.signal).toBe('prohibited');
    // The eight original practices, then the Omnibus ban, which exists only from its date row.
    expect(p.options!.filter((o) => o.ref && !o.appliesFrom).map((o) => o.ref)).toEqual(catalogue.euAiAct.prohibitedPractices.map((x) => x.ref));
    expect(p.options!.find((o) => o.appliesFrom)).toMatchObject({ id: 'intimate_imagery_csam', ref: 'Art. 5', appliesFrom: 'intimate_imagery_prohibition' });
    expect(p.options!.map((o) => o.id)).toContain('none');
  });
  it('offers every Annex III point and letter, plus none', () => {
    const a = q('annex_iii_areas');
    expect(a.signal).toBe('high_annex_iii');
    const expected = Object.entries(catalogue.euAiAct.annexIIIPoints).flatMap(([p, letters]) => (letters.length ? letters.map((l) => `Annex III ${p}(${l})`) : [`Annex III ${p}`]));
    expect(a.options!.filter((o) => o.ref).map((o) => o.ref)).toEqual(expected);
    expect(expected).toHaveLength(25);
    expect(a.options!.map((o) => o.id)).toContain('none');
    // Option texts that used to mislead: 5(b) excludes fraud detection; 4(b) is not any HR topic.
    expect(a.options!.find((o) => o.ref === 'Annex III 5(b)')!.label).toMatch(/fraud.*excluded/);
    expect(a.options!.find((o) => o.ref === 'Annex III 4(b)')!.label).toMatch(/promotion or termination.*allocating tasks.*monitoring.*not any HR-related topic/);
  });
  it('asks the Art. 6 and Art. 50 questions with the right signals', () => {
    expect(q('safety_component')).toMatchObject({ kind: 'boolean', signal: 'high', ref: 'Art. 6(1)' });
    expect(policy.risk.questions.filter((x) => x.signal === 'exemption').map((x) => x.ref)).toEqual(['Art. 6(3)(a)', 'Art. 6(3)(b)', 'Art. 6(3)(c)', 'Art. 6(3)(d)']);
    expect(q('material_influence')).toMatchObject({ kind: 'boolean', signal: 'material_influence', when: { question: 'annex_iii_areas' } });
    expect(q('profiling')).toMatchObject({ kind: 'boolean', signal: 'profiling' });
    const transparency = policy.risk.questions.filter((x) => x.signal === 'transparency');
    expect(transparency.map((x) => x.id)).toEqual(
      expect.arrayContaining(['interacts_with_people', 'generates_synthetic_content', 'emotion_recognition', 'biometric_categorisation']),
    );
    expect(transparency.every((x) => x.kind === 'boolean' && x.ref?.startsWith('Art. 50('))).toBe(true);
    expect(q('data_classes')).toMatchObject({ kind: 'multi_select', signal: 'data_classes' });
    expect(policy.risk.questions.filter((x) => x.signal === 'context').length).toBeGreaterThanOrEqual(2);
  });
  it('ranks the five data classes from public to special category', () => {
    const ranked = [...policy.risk.dataClasses].sort((a, b) => a.rank - b.rank).map((d) => d.id);
    expect(ranked).toEqual(['public', 'internal', 'confidential', 'personal', 'special_category']);
  });
});

describe('framework ids named by the playbooks', () => {
  it('all resolve in the catalogue, each in its own framework', () => {
    const named: [string, string | undefined][] = [];
    for (const c of policy.controls) {
      c.frameworks.nistAiRmf.forEach((id) => named.push([id, 'nist_ai_rmf']));
      c.frameworks.euAiAct.forEach((id) => named.push([id, 'eu_ai_act']));
      c.frameworks.owaspLlm.forEach((id) => named.push([id, 'owasp_llm']));
      c.frameworks.iso42001.forEach((id) => named.push([id, 'iso_42001']));
    }
    policy.cadences.forEach((c) => c.frameworks.forEach((id) => named.push([id, undefined])));
    policy.incidents.categories.forEach((c) => c.owaspLlm.forEach((id) => named.push([id, 'owasp_llm'])));
    expect(named.length).toBeGreaterThan(100);
    const unresolved = named.filter(([id, fw]) => {
      const hit = resolveFrameworkId(id);
      return !hit || hit.id !== id || (fw !== undefined && hit.framework !== fw);
    });
    expect(unresolved).toEqual([]);
  });
  it('controls cover all four frameworks and every OWASP LLM 2025 item', () => {
    expect(policy.controls.length).toBeGreaterThanOrEqual(18);
    const owasp = new Set(policy.controls.flatMap((c) => c.frameworks.owaspLlm));
    expect([...owasp].sort()).toEqual(catalogue.owaspLlm.items.map((i) => i.id).sort());
    for (const c of policy.controls) {
      expect(c.requiredFor.tiers.length + c.requiredFor.dataClasses.length).toBeGreaterThan(0);
    }
  });
});

describe('cadences', () => {
  it('reviews high every 90, transparency every 180 and minimal every 365 days', () => {
    expect(Object.fromEntries(policy.cadences.map((c) => [c.tier, c.everyDays]))).toEqual({ high: 90, transparency: 180, minimal: 365 });
  });
});

describe('incidents', () => {
  it('has sev1-sev4 with tightening response targets', () => {
    const s = policy.incidents.severities;
    expect(s.map((x) => x.id)).toEqual(['sev1', 'sev2', 'sev3', 'sev4']);
    for (let i = 1; i < s.length; i++) {
      expect(s[i]!.acknowledgeWithinMinutes).toBeGreaterThan(s[i - 1]!.acknowledgeWithinMinutes);
      expect(s[i]!.resolveWithinHours).toBeGreaterThan(s[i - 1]!.resolveWithinHours);
    }
  });
  it('has the nine categories, each with a 3-6 step runbook', () => {
    expect(policy.incidents.categories.map((c) => c.id)).toEqual([
      'prompt_injection',
      'sensitive_information_disclosure',
      'hallucination_misinformation',
      'harmful_or_biased_output',
      'excessive_agency',
      'system_prompt_leakage',
      'unbounded_consumption',
      'availability',
      'other',
    ]);
    for (const c of policy.incidents.categories) {
      expect(c.runbook.length).toBeGreaterThanOrEqual(3);
      expect(c.runbook.length).toBeLessThanOrEqual(6);
    }
  });
  it('sets the Art. 73 deadlines to the days stated in the reference (15 / 2 / 10)', () => {
    expect(existsSync(refDir)).toBe(true);
    const d = euRef().serious_incident_reporting_art73.deadlines as { para: string; deadline: string }[];
    const days = (para: string) => Number(/not later than (\d+) days/.exec(d.find((x) => x.para === para)!.deadline)![1]);
    expect(policy.incidents.serious.deadlinesDays).toEqual({
      general: days('73(2)'),
      widespread_or_critical_infrastructure: days('73(3)'),
      death: days('73(4)'),
    });
    expect(policy.incidents.serious.deadlinesDays).toEqual({ general: 15, widespread_or_critical_infrastructure: 2, death: 10 });
  });
  it('asks a serious-incident question for every basis', () => {
    const bases = new Set(policy.incidents.serious.questions.map((q) => q.basis));
    expect([...bases].sort()).toEqual(['death', 'general', 'widespread_or_critical_infrastructure']);
    expect(policy.incidents.serious.reminderFractions).toEqual([0.5, 0.8]);
  });
});

describe('regulation dates', () => {
  const reg = policy.regulation!;
  it('keeps the original Art. 113 dates of the reference', () => {
    const originals = new Set(euRef().application_dates_original_art113.map((d: { date: string }) => d.date));
    for (const d of reg.applicationDates) if (d.original) expect(originals).toContain(d.original);
    const original = { ...reg, datesInForce: 'original' as const };
    expect(applicationDate(original, 'annex_iii_high_risk')).toBe('2026-08-02');
    expect(applicationDate(original, 'annex_i_high_risk')).toBe('2027-08-02');
  });
  it('no longer lumps Arts. 26/27/49/72/73 under one date; every obligation names a source-backed row', () => {
    expect(reg.applicationDates.map((d) => d.id)).not.toContain('deployer_duties_and_incident_reporting');
    const sources = new Set(reg.sources!.map((x) => x.id));
    for (const d of reg.applicationDates) expect(sources.has(d.source!)).toBe(true);
    expect(reg.obligations!.map((o) => o.article)).toEqual(expect.arrayContaining(['Art. 26(1)', 'Art. 26(4)', 'Art. 26(7)', 'Art. 26(8)', 'Art. 26(11)', 'Art. 86(1)', 'Art. 27(1)', 'Art. 27(3)', 'Art. 49(1)', 'Art. 72', 'Art. 73', 'Art. 43', 'Art. 47', 'Art. 48']));
  });
  it('keeps the reported amended dates of the reference, switchable by setting', () => {
    const changes = euRef().amendments[0].reported_changes as { what: string; from?: string; to?: string; applies_from?: string }[];
    const change = (prefix: string) => changes.find((c) => c.what.startsWith(prefix))!;
    const d = (id: string) => reg.applicationDates.find((x) => x.id === id)!;
    expect(d('annex_iii_high_risk')).toMatchObject({ original: change('Annex III').from, amended: change('Annex III').to });
    expect(d('annex_i_high_risk')).toMatchObject({ original: change('Annex I ').from, amended: change('Annex I ').to });
    expect(d('transparency_marking_existing_generative').amended).toBe(change('Art 50(2)').to);
    expect(d('intimate_imagery_prohibition').amended).toBe(change('new Art 5').applies_from);

    // The shipped default is the law in force today (the amended dates); original stays selectable.
    expect(reg.datesInForce).toBe('amended');
    const amended = reg;
    const original = { ...reg, datesInForce: 'original' as const };
    expect(applicationDate(amended, 'annex_iii_high_risk')).toBe('2027-12-02');
    expect(applicationDate(amended, 'transparency')).toBe('2026-08-02'); // unchanged keeps its original
    expect(applicationDate(original, 'intimate_imagery_prohibition')).toBeUndefined();
    expect(applicationDate(original, 'transparency_marking_existing_generative')).toBe('2026-08-02');
    expect(applicationDate(amended, 'intimate_imagery_prohibition')).toBe('2026-12-02');
  });
});
