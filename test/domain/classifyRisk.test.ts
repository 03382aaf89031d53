/** The EU AI Act tier from intake answers: pure, against the default playbooks. */
import type { Policy } from '../../src/domain/policy';
import { classifyRisk } from '../../src/domain/usecases/classifyRisk';
import { requiredControls } from '../../src/domain/usecases/requiredControls';
import { validateAnswers } from '../../src/domain/usecases/answers';
import { loadPolicy } from '../../src/playbooks';
import type { RiskTier } from '../../src/domain/types';
import { ANSWERS_FOR, baseAnswers, noDerogation } from '../support/usecases';

let policy: Policy;
beforeAll(() => {
  policy = loadPolicy();
});

/** An Annex III use with the Art. 6(3) follow-ups answered: none claimed unless overridden. */
const annex = (ids: string[], over: Record<string, unknown> = {}) => baseAnswers({ annex_iii_areas: ids, ...noDerogation, ...over });
const derogation = (ids: string[], condition: string, over: Record<string, unknown> = {}) =>
  annex(ids, { [condition]: true, material_influence: false, ...over });

interface Case {
  name: string;
  answers: Record<string, unknown>;
  tier: RiskTier;
  basis: string[];
  /** The reason that must be given (a regular expression over the joined reasons). */
  reason: RegExp;
}

const annexIII: [string, string][] = [
  ['biometric_remote_identification', 'Annex III 1(a)'],
  ['biometric_categorisation_sensitive', 'Annex III 1(b)'],
  ['emotion_recognition_system', 'Annex III 1(c)'],
  ['critical_infrastructure', 'Annex III 2'],
  ['education_admission', 'Annex III 3(a)'],
  ['education_learning_outcomes', 'Annex III 3(b)'],
  ['education_level', 'Annex III 3(c)'],
  ['education_test_monitoring', 'Annex III 3(d)'],
  ['employment_recruitment', 'Annex III 4(a)'],
  ['employment_work_relationships', 'Annex III 4(b)'],
  ['public_benefits', 'Annex III 5(a)'],
  ['creditworthiness', 'Annex III 5(b)'],
  ['life_health_insurance', 'Annex III 5(c)'],
  ['emergency_triage', 'Annex III 5(d)'],
  ['law_enforcement_victim_risk', 'Annex III 6(a)'],
  ['law_enforcement_polygraph', 'Annex III 6(b)'],
  ['law_enforcement_evidence', 'Annex III 6(c)'],
  ['law_enforcement_offending_risk', 'Annex III 6(d)'],
  ['law_enforcement_profiling', 'Annex III 6(e)'],
  ['migration_polygraph', 'Annex III 7(a)'],
  ['migration_risk', 'Annex III 7(b)'],
  ['migration_applications', 'Annex III 7(c)'],
  ['migration_identification', 'Annex III 7(d)'],
  ['justice_judicial_assistance', 'Annex III 8(a)'],
  ['elections_influence', 'Annex III 8(b)'],
];
const art5: [string, string][] = [
  ['manipulative_techniques', 'Art. 5(1)(a)'],
  ['exploits_vulnerabilities', 'Art. 5(1)(b)'],
  ['social_scoring', 'Art. 5(1)(c)'],
  ['crime_prediction_profiling', 'Art. 5(1)(d)'],
  ['facial_scraping', 'Art. 5(1)(e)'],
  ['emotion_recognition_work_education', 'Art. 5(1)(f)'],
  ['sensitive_biometric_categorisation', 'Art. 5(1)(g)'],
  ['realtime_remote_biometric_id_law_enforcement', 'Art. 5(1)(h)'],
];
const esc = (s: string) => s.replace(/[()]/g, '\\$&');

const CASES: Case[] = [
  // Every Annex III point and letter, the derogation not claimed: high, basis to the letter.
  ...annexIII.map(([id, ref]): Case => ({ name: `${ref} ${id}`, answers: annex([id]), tier: 'high', basis: ['Art. 6(2)', ref], reason: new RegExp(`High-risk: ${esc(ref)} - .*\\(Art\\. 6\\(2\\)\\)`) })),
  // Every Art. 5 practice, and the Omnibus ban.
  ...art5.map(([id, ref]): Case => ({ name: `${ref} ${id}`, answers: baseAnswers({ prohibited_practices: [id], annex_iii_areas: ['employment_recruitment'], ...noDerogation }), tier: 'prohibited', basis: [ref], reason: new RegExp(`Prohibited practice: .*${esc(ref)}`) })),
  { name: 'new Art. 5 ban: intimate imagery / CSAM generation', answers: baseAnswers({ prohibited_practices: ['intimate_imagery_csam'], generates_synthetic_content: true, synthetic_assistive_editing: false, synthetic_no_substantial_alteration: false }), tier: 'prohibited', basis: ['Art. 5'], reason: /Prohibited practice: .*reasonably foreseeable.*\(Art\. 5, prohibited from 2026-12-02\)/ },
  // Art. 6(1) names the Annex I act.
  { name: 'Annex I medical device', answers: baseAnswers({ safety_component: true, annex_i_act: 'medical_devices' }), tier: 'high', basis: ['Art. 6(1)', 'Annex I: Medical devices - Regulation (EU) 2017/745 (Annex I Section A point 11)'], reason: /Annex I - Medical devices - Regulation \(EU\) 2017\/745/ },
  // Art. 6(3): each condition on its own takes the use below high (pending sign-off) ...
  { name: '6(3)(a) narrow procedural task', answers: derogation(['employment_recruitment'], 'art_6_3_a_narrow_procedural'), tier: 'minimal', basis: ['Art. 6(3)(a)', 'Art. 6(4)'], reason: /not high-risk under the Art\. 6\(3\) derogation \(Art\. 6\(3\)\(a\)/ },
  { name: '6(3)(b) improves a completed human activity', answers: derogation(['education_learning_outcomes'], 'art_6_3_b_improves_human_result'), tier: 'minimal', basis: ['Art. 6(3)(b)', 'Art. 6(4)'], reason: /Art\. 6\(4\) assessment is recorded and AI Governance & Legal signs it off/ },
  { name: '6(3)(c) detects patterns', answers: derogation(['creditworthiness'], 'art_6_3_c_detects_patterns'), tier: 'minimal', basis: ['Art. 6(3)(c)', 'Art. 6(4)'], reason: /Annex III 5\(b\) listed, but not high-risk/ },
  { name: '6(3)(d) preparatory task, with a chat interface', answers: derogation(['justice_judicial_assistance'], 'art_6_3_d_preparatory', { interacts_with_people: true, interaction_obvious: false }), tier: 'transparency', basis: ['Art. 6(3)(d)', 'Art. 6(4)', 'Art. 50(1)'], reason: /Transparency: Art\. 50\(1\) applies, owed by the provider/ },
  // ... but never with material influence or profiling, and never with no condition.
  { name: '6(3) condition but material influence', answers: derogation(['employment_recruitment'], 'art_6_3_d_preparatory', { material_influence: true }), tier: 'high', basis: ['Art. 6(2)', 'Annex III 4(a)'], reason: /derogation is not available: the system materially influences/ },
  { name: '6(3) condition but profiling', answers: derogation(['employment_work_relationships'], 'art_6_3_a_narrow_procedural', { profiling: true }), tier: 'high', basis: ['Art. 6(2)', 'Annex III 4(b)'], reason: /always high-risk \(Art\. 6\(3\) last subparagraph\)/ },
  { name: 'judges\' research assistant (no condition)', answers: annex(['justice_judicial_assistance'], { interacts_with_people: true, interaction_obvious: false, material_influence: false }), tier: 'high', basis: ['Art. 6(2)', 'Annex III 8(a)', 'Art. 50(1)'], reason: /none of the conditions of Art\. 6\(3\)\(a\)-\(d\) applies.*Also Art\. 50\(1\), owed by the provider/s },
  // Emotion recognition outside work/education: high via Annex III 1(c), plus the Art. 50(3) duty.
  { name: 'emotion recognition without ticking biometrics', answers: baseAnswers({ emotion_recognition: true, ...noDerogation }), tier: 'high', basis: ['Art. 6(2)', 'Annex III 1(c)', 'Art. 50(3)'], reason: /High-risk: Annex III 1\(c\).*Also Art\. 50\(3\), owed by the deployer/s },
  // Art. 50 and its exemptions.
  { name: 'customer chatbot', answers: baseAnswers({ interacts_with_people: true, interaction_obvious: false }), tier: 'transparency', basis: ['Art. 50(1)'], reason: /Art\. 50\(1\) applies, owed by the provider/ },
  { name: 'code completion: interaction obvious, assistive editing', answers: baseAnswers({ interacts_with_people: true, interaction_obvious: true, generates_synthetic_content: true, synthetic_assistive_editing: true, synthetic_no_substantial_alteration: false }), tier: 'minimal', basis: [], reason: /Art\. 50\(1\) does not apply: exempt.*Art\. 50\(2\) does not apply: exempt - Does it only perform an assistive function/s },
  { name: 'meeting summaries: input not substantially altered', answers: baseAnswers({ generates_synthetic_content: true, synthetic_assistive_editing: false, synthetic_no_substantial_alteration: true }), tier: 'minimal', basis: [], reason: /Minimal: no Art\. 5 practice.*Art\. 50\(2\) does not apply/s },
  { name: 'internal translation: input not substantially altered', answers: baseAnswers({ generates_synthetic_content: true, synthetic_assistive_editing: false, synthetic_no_substantial_alteration: true }), tier: 'minimal', basis: [], reason: /Art\. 50\(2\) does not apply: exempt - Does it leave the input data/ },
  { name: 'image generator: marking owed', answers: baseAnswers({ generates_synthetic_content: true, synthetic_assistive_editing: false, synthetic_no_substantial_alteration: false }), tier: 'transparency', basis: ['Art. 50(2)'], reason: /Art\. 50\(2\) applies, owed by the provider/ },
  { name: 'deep fakes, as deployer', answers: baseAnswers({ organisation_role: 'deployer', provider_triggers: ['none'], deployer_type: ['none'], deep_fakes: true }), tier: 'transparency', basis: ['Art. 50(4)'], reason: /Art\. 50\(4\) applies, owed by the deployer/ },
  { name: 'public-interest text with editorial review', answers: baseAnswers({ public_interest_text: true, public_text_editorial_review: true }), tier: 'minimal', basis: [], reason: /Art\. 50\(4\) does not apply: exempt/ },
  { name: 'public-interest text without review', answers: baseAnswers({ public_interest_text: true, public_text_editorial_review: false }), tier: 'transparency', basis: ['Art. 50(4)'], reason: /Art\. 50\(4\) applies, owed by the deployer/ },
  { name: 'biometric categorisation (not sensitive)', answers: baseAnswers({ biometric_categorisation: true }), tier: 'transparency', basis: ['Art. 50(3)'], reason: /Art\. 50\(3\) applies, owed by the deployer/ },
  { name: 'chatbot used as deployer: the provider owes 50(1)', answers: baseAnswers({ organisation_role: 'deployer', provider_triggers: ['none'], deployer_type: ['none'], interacts_with_people: true, interaction_obvious: false }), tier: 'transparency', basis: ['Art. 50(1)'], reason: /owed by the provider of the system, not by this organisation as deployer/ },
  { name: 'minimal internal tool says why', answers: baseAnswers(), tier: 'minimal', basis: [], reason: /^Minimal: no Art\. 5 practice, no Annex I product \(Art\. 6\(1\)\), no Annex III use \(Art\. 6\(2\)\) and no Art\. 50 duty applies/ },
  { name: 'profiling outside Annex III stays minimal', answers: baseAnswers({ profiling: true }), tier: 'minimal', basis: [], reason: /no Annex III use/ },
];

describe('classifyRisk: table of cases a lawyer would sign', () => {
  it('has at least 40 cases covering every Annex III point and Art. 5 practice', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(40);
    expect(new Set(CASES.map((c) => c.name)).size).toBe(CASES.length);
  });
  it.each(CASES)('$name -> $tier', ({ answers, tier, basis, reason }) => {
    expect(() => validateAnswers(answers, policy.risk, { requireAll: true })).not.toThrow();
    const r = classifyRisk(answers, policy.risk, policy.regulation);
    expect(r.tier).toBe(tier);
    expect(r.legalBasis).toEqual(basis);
    expect(r.reasons.join('\n')).toMatch(reason);
    // Reasons never contradict the tier: no "no ... signal" next to a higher tier.
    if (tier !== 'minimal') expect(r.reasons.join(' ')).not.toMatch(/^Minimal:/m);
    if (tier === 'high') expect(r.reasons.some((x) => x.startsWith('High-risk'))).toBe(true);
  });
});

describe('classifyRisk: details', () => {
  it('the Omnibus ban does not exist under the original dates, and says so', () => {
    const original = { ...policy.regulation!, datesInForce: 'original' as const };
    const r = classifyRisk(baseAnswers({ prohibited_practices: ['intimate_imagery_csam'] }), policy.risk, original);
    expect(r.tier).toBe('minimal');
    expect(r.reasons.join(' ')).toMatch(/not an Art\. 5 practice under the dates in force \(original\)/);
  });
  it('records the Art. 50 duties and the parties next to a high tier; FRIA for 5(b) deployers', () => {
    const r = classifyRisk(annex(['creditworthiness'], { organisation_role: 'deployer', provider_triggers: ['none'], deployer_type: ['none'], interacts_with_people: true, interaction_obvious: false }), policy.risk, policy.regulation);
    expect(r.art50).toEqual([{ ref: 'Art. 50(1)', party: 'provider', question: 'interacts_with_people' }]);
    expect(r.parties).toEqual(['deployer']);
    expect(r.fria).toBe(true);
  });
  it('Art. 25: a deployer who puts its name on a high-risk system becomes its provider', () => {
    const r = classifyRisk(annex(['employment_recruitment'], { organisation_role: 'deployer', provider_triggers: ['own_name_or_trademark'], deployer_type: ['none'] }), policy.risk, policy.regulation);
    expect(r.parties).toEqual(['provider', 'deployer']);
    expect(r.reasons.join(' ')).toMatch(/becomes the provider \(Art\. 25\)/);
  });
  it('follow-up questions are required only while asked', () => {
    expect(() => validateAnswers(baseAnswers({ organisation_role: 'deployer', deployer_type: ['none'] }), policy.risk, { requireAll: true })).toThrow(/answers\.provider_triggers: required/);
    // An unticked yes/no follow-up reads as "no": no derogation is claimed by leaving it empty.
    const unticked = baseAnswers({ annex_iii_areas: ['creditworthiness'] });
    expect(() => validateAnswers(unticked, policy.risk, { requireAll: true })).not.toThrow();
    expect(classifyRisk(unticked, policy.risk, policy.regulation).tier).toBe('high');
    expect(() => validateAnswers(baseAnswers(), policy.risk, { requireAll: true })).not.toThrow();
    expect(() => validateAnswers(baseAnswers({ placed_on_market: '2026-02-30' }), policy.risk, { requireAll: true })).toThrow(/YYYY-MM-DD/);
  });
  it('is deterministic and orders data classes most sensitive first', () => {
    const a = baseAnswers({ data_classes: ['public', 'special_category', 'internal'] });
    expect(classifyRisk(a, policy.risk)).toEqual(classifyRisk(a, policy.risk));
    expect(classifyRisk(a, policy.risk).dataClasses).toEqual(['special_category', 'internal', 'public']);
  });
  it('the test answers for each tier give that tier', () => {
    for (const tier of ['minimal', 'transparency', 'high', 'prohibited'] as const) expect(classifyRisk(ANSWERS_FOR[tier], policy.risk, policy.regulation).tier).toBe(tier);
  });
});

describe('requiredControls', () => {
  it('includes controls required for the tier or a data class, and high needs more than minimal', () => {
    const minimal = requiredControls(policy.controls, 'minimal', ['public']);
    const high = requiredControls(policy.controls, 'high', ['personal']);
    for (const c of policy.controls) {
      const expected = c.requiredFor.tiers.includes('high') || c.requiredFor.dataClasses.includes('personal');
      expect(high.includes(c.id)).toBe(expected);
    }
    expect(high.length).toBeGreaterThan(minimal.length);
  });
});

describe('validateAnswers', () => {
  it('refuses an unknown option, an unknown question and a missing required answer, naming it', () => {
    expect(() => validateAnswers(baseAnswers({ annex_iii_areas: ['astrology'] }), policy.risk, { requireAll: true })).toThrow(
      /answers\.annex_iii_areas: astrology is not one of/,
    );
    expect(() => validateAnswers(baseAnswers({ vibes: true }), policy.risk, { requireAll: true })).toThrow(/answers\.vibes: not a question/);
    const { profiling: _p, ...missing } = baseAnswers();
    expect(() => validateAnswers(missing, policy.risk, { requireAll: true })).toThrow(/answers\.profiling: required/);
    expect(() => validateAnswers(baseAnswers({ safety_component: 'maybe' }), policy.risk, { requireAll: true })).toThrow(/yes or no/);
  });
});
