/** The obligations a use case owes, and from when, under both date sets. Pure, default playbooks. */
import type { Policy } from '../../src/domain/policy';
import { obligationsFor } from '../../src/domain/obligations/obligationsFor';
import { classifyRisk } from '../../src/domain/usecases/classifyRisk';
import { decideTier } from '../../src/domain/usecases/decideTier';
import { loadPolicy } from '../../src/playbooks';
import { baseAnswers, noDerogation } from '../support/usecases';

let amended: Policy;
let original: Policy;
beforeAll(() => {
  amended = loadPolicy();
  original = loadPolicy(undefined, { datesInForce: 'original' });
});

const TODAY = new Date('2026-12-03T09:00:00Z');
const byId = (list: ReturnType<typeof obligationsFor>) => Object.fromEntries(list.map((o) => [o.id, o]));
const recruitment = (over: Record<string, unknown> = {}) => ({ tier: 'high' as const, answers: baseAnswers({ annex_iii_areas: ['employment_recruitment'], ...noDerogation, ...over }) });

describe('obligationsFor', () => {
  it('Annex III provider duties apply from 2 December 2027 as amended, and applied from 2 August 2026 originally', () => {
    const a = byId(obligationsFor(recruitment(), amended, TODAY));
    expect(a.art9_risk_management).toMatchObject({ article: 'Art. 9', party: 'provider', appliesFrom: '2027-12-02', state: 'not_yet_applicable', controlIds: ['CTL-RISK-MANAGEMENT'] });
    expect(a.art9_risk_management!.reason).toMatch(/Annex III route \(Annex III 4\(a\)\).*owed as provider.*applies from 2027-12-02 \(annex_iii_high_risk/);
    expect(a.art4_ai_literacy).toMatchObject({ appliesFrom: '2025-02-02', state: 'applies' });
    const o = byId(obligationsFor(recruitment(), original, TODAY));
    expect(o.art9_risk_management).toMatchObject({ appliesFrom: '2026-08-02', state: 'applies' });
    expect(o.art73_serious_incident_reporting).toMatchObject({ appliesFrom: '2026-08-02', state: 'applies' });
    expect(a.art73_serious_incident_reporting).toMatchObject({ appliesFrom: '2027-12-02', state: 'not_yet_applicable' });
  });

  it('Annex I products follow the Art. 6(1) dates: 2 August 2028 amended, 2 August 2027 original', () => {
    const uc = { tier: 'high' as const, answers: baseAnswers({ safety_component: true, annex_i_act: 'machinery' }) };
    expect(byId(obligationsFor(uc, amended, TODAY)).art43_conformity_assessment).toMatchObject({ appliesFrom: '2028-08-02', state: 'not_yet_applicable' });
    expect(byId(obligationsFor(uc, original, TODAY)).art43_conformity_assessment).toMatchObject({ appliesFrom: '2027-08-02', state: 'not_yet_applicable' });
    expect(byId(obligationsFor(uc, amended, TODAY)).art27_1_fria).toBeUndefined(); // FRIA is Annex III only
  });

  it('a deployer owes Art. 26 duties split by paragraph, Art. 86 and the FRIA, not the provider duties', () => {
    const uc = recruitment({ organisation_role: 'deployer', provider_triggers: ['none'], deployer_type: ['public_body'], decisions_about_people: true });
    const list = obligationsFor(uc, amended, TODAY);
    const ids = list.map((o) => o.id);
    expect(ids).toEqual(expect.arrayContaining(['art26_1_instructions_for_use', 'art26_4_input_data', 'art26_7_inform_workers', 'art26_8_public_authority_registration', 'art26_11_inform_affected_persons', 'art86_1_right_to_explanation', 'art27_1_fria', 'art27_3_notify_authority']));
    expect(ids).not.toContain('art9_risk_management');
    expect(list.every((o) => o.party === 'deployer')).toBe(true);
    expect(byId(list).art27_1_fria!.title).toMatch(/\(a\).*\(f\)/);
  });

  it('a private deployer with no FRIA trigger owes no FRIA; Art. 25 makes a rebranding deployer a provider', () => {
    const plain = obligationsFor(recruitment({ organisation_role: 'deployer', provider_triggers: ['none'], deployer_type: ['none'] }), amended, TODAY).map((o) => o.id);
    expect(plain).not.toContain('art27_1_fria');
    const rebrand = obligationsFor(recruitment({ organisation_role: 'deployer', provider_triggers: ['own_name_or_trademark'], deployer_type: ['none'] }), amended, TODAY).map((o) => o.id);
    expect(rebrand).toEqual(expect.arrayContaining(['art9_risk_management', 'art26_1_instructions_for_use']));
  });

  it('Art. 50(2) marking: 2 December 2026 for a system placed on the market before 2 August 2026 (amended), 2 August 2026 otherwise', () => {
    const gen = (placed?: string) => ({ tier: 'transparency' as const, answers: baseAnswers({ generates_synthetic_content: true, synthetic_assistive_editing: false, synthetic_no_substantial_alteration: false, ...(placed ? { placed_on_market: placed } : {}) }) });
    expect(byId(obligationsFor(gen('2025-05-01'), amended, new Date('2026-11-30T00:00:00Z'))).art50_2_mark_synthetic_output).toMatchObject({ appliesFrom: '2026-12-02', state: 'not_yet_applicable' });
    expect(byId(obligationsFor(gen('2025-05-01'), amended, TODAY)).art50_2_mark_synthetic_output).toMatchObject({ appliesFrom: '2026-12-02', state: 'applies' });
    expect(byId(obligationsFor(gen('2026-09-01'), amended, TODAY)).art50_2_mark_synthetic_output).toMatchObject({ appliesFrom: '2026-08-02' });
    expect(byId(obligationsFor(gen('2025-05-01'), original, TODAY)).art50_2_mark_synthetic_output).toMatchObject({ appliesFrom: '2026-08-02' });
  });

  it('an exempt Art. 50 paragraph gives no obligation; a prohibited use case has none to comply with', () => {
    const editing = { tier: 'minimal' as const, answers: baseAnswers({ generates_synthetic_content: true, synthetic_assistive_editing: true, synthetic_no_substantial_alteration: false }) };
    expect(obligationsFor(editing, amended, TODAY).map((o) => o.id)).toEqual(['art4_ai_literacy']);
    expect(obligationsFor({ tier: 'prohibited', answers: baseAnswers({ prohibited_practices: ['social_scoring'] }) }, amended, TODAY)).toEqual([]);
  });
});

describe('decideTier: a tier never goes down silently', () => {
  const meta = { by: 'P1', at: TODAY, riskVersion: 'sha256:abc' };
  it('records the legal basis, Art. 50 duties and risk.yaml version with each decision', () => {
    const c = classifyRisk(recruitment({ interacts_with_people: true, interaction_obvious: false }).answers, amended.risk, amended.regulation);
    const held = decideTier(undefined, c, meta);
    expect(held.tier).toBe('high');
    expect(held.legal.decision).toMatchObject({ tier: 'high', legalBasis: ['Art. 6(2)', 'Annex III 4(a)', 'Art. 50(1)'], art50: [{ ref: 'Art. 50(1)', party: 'provider' }], riskVersion: 'sha256:abc' });
    expect(held.legal.pending).toBeUndefined();
  });
  it('holds the current tier when re-answering would lower it', () => {
    const high = decideTier(undefined, classifyRisk(recruitment().answers, amended.risk, amended.regulation), meta);
    const lower = classifyRisk(baseAnswers(), amended.risk, amended.regulation);
    const held = decideTier({ tier: 'high', tierReasons: high.tierReasons, legal: high.legal }, lower, meta);
    expect(held.tier).toBe('high');
    expect(held.legal.pending).toMatchObject({ tier: 'minimal', needs: ['legal_signoff'], from: 'high' });
    expect(held.tierReasons.at(-1)).toMatch(/A lower tier \(minimal\) waits for AI Governance & Legal sign-off/);
  });
  it('an Art. 6(3) derogation starts high and waits for the Art. 6(4) assessment and sign-off', () => {
    const c = classifyRisk(recruitment({ art_6_3_d_preparatory: true, material_influence: false }).answers, amended.risk, amended.regulation);
    expect(c.tier).toBe('minimal');
    const held = decideTier(undefined, c, meta);
    expect(held.tier).toBe('high');
    expect(held.legal.pending!.needs).toEqual(['legal_signoff', 'art6_4_assessment']);
  });
  it('raising a tier applies at once', () => {
    const min = decideTier(undefined, classifyRisk(baseAnswers(), amended.risk, amended.regulation), meta);
    const up = decideTier({ tier: 'minimal', tierReasons: min.tierReasons, legal: min.legal }, classifyRisk(recruitment().answers, amended.risk, amended.regulation), meta);
    expect(up.tier).toBe('high');
    expect(up.legal.pending).toBeUndefined();
  });
});
