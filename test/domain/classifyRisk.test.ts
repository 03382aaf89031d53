/** The EU AI Act tier from intake answers: pure, against the default playbooks. */
import type { Policy } from '../../src/domain/policy';
import { classifyRisk } from '../../src/domain/usecases/classifyRisk';
import { requiredControls } from '../../src/domain/usecases/requiredControls';
import { validateAnswers } from '../../src/domain/usecases/answers';
import { loadPolicy } from '../../src/playbooks';
import { ANSWERS_FOR, baseAnswers } from '../support/usecases';

let policy: Policy;
beforeAll(() => {
  policy = loadPolicy();
});

describe('classifyRisk', () => {
  it('is minimal when no signal is positive', () => {
    const r = classifyRisk(baseAnswers(), policy.risk);
    expect(r.tier).toBe('minimal');
    expect(r.dataClasses).toEqual(['internal']);
  });

  it('any prohibited practice makes it prohibited, naming the Art. 5 point, even with other signals', () => {
    const r = classifyRisk(
      baseAnswers({ prohibited_practices: ['social_scoring', 'facial_scraping'], annex_iii_areas: ['employment'], interacts_with_people: true }),
      policy.risk,
    );
    expect(r.tier).toBe('prohibited');
    expect(r.reasons).toHaveLength(2);
    expect(r.reasons[0]).toMatch(/Art\. 5\(1\)\(c\)/);
    expect(r.reasons[1]).toMatch(/Art\. 5\(1\)\(e\)/);
  });

  it("'none' among the prohibited practices is not a positive answer", () => {
    expect(classifyRisk(baseAnswers({ prohibited_practices: ['none'] }), policy.risk).tier).toBe('minimal');
    expect(classifyRisk(baseAnswers({ prohibited_practices: [] }), policy.risk).tier).toBe('minimal');
  });

  it('a safety component is high-risk (Art. 6(1)) even when the exemption is claimed', () => {
    const r = classifyRisk(baseAnswers({ safety_component: true, art_6_3_exemption: true }), policy.risk);
    expect(r.tier).toBe('high');
    expect(r.reasons.join(' ')).toMatch(/Art\. 6\(1\)/);
  });

  it('an Annex III area is high-risk with the Annex reference', () => {
    const r = classifyRisk(ANSWERS_FOR.high, policy.risk);
    expect(r.tier).toBe('high');
    expect(r.reasons.join(' ')).toMatch(/Annex III 4/);
    expect(r.dataClasses).toEqual(['personal']);
  });

  it('the Art. 6(3) exemption takes an Annex III use case out of high risk', () => {
    const r = classifyRisk(baseAnswers({ annex_iii_areas: ['education'], art_6_3_exemption: true }), policy.risk);
    expect(r.tier).toBe('minimal');
    expect(r.reasons.join(' ')).toMatch(/Art\. 6\(3\)/);
    // ... and then the transparency questions still count.
    const t = classifyRisk(baseAnswers({ annex_iii_areas: ['education'], art_6_3_exemption: true, generates_synthetic_content: true }), policy.risk);
    expect(t.tier).toBe('transparency');
    expect(t.reasons.join(' ')).toMatch(/Art\. 50\(2\)/);
  });

  it('profiling overrides the exemption: high-risk', () => {
    const r = classifyRisk(baseAnswers({ annex_iii_areas: ['employment'], art_6_3_exemption: true, profiling: true }), policy.risk);
    expect(r.tier).toBe('high');
    expect(r.reasons.join(' ')).toMatch(/profiles natural persons/);
  });

  it('profiling alone, outside Annex III, does not make a use case high-risk', () => {
    expect(classifyRisk(baseAnswers({ profiling: true }), policy.risk).tier).toBe('minimal');
  });

  it('any Art. 50 duty makes it transparency, with each duty as a reason', () => {
    const r = classifyRisk(baseAnswers({ interacts_with_people: true, deep_fakes_or_public_text: true }), policy.risk);
    expect(r.tier).toBe('transparency');
    expect(r.reasons).toEqual([expect.stringMatching(/Art\. 50\(1\)/), expect.stringMatching(/Art\. 50\(4\)/)]);
  });

  it('is deterministic and orders data classes most sensitive first', () => {
    const a = baseAnswers({ data_classes: ['public', 'special_category', 'internal'] });
    expect(classifyRisk(a, policy.risk)).toEqual(classifyRisk(a, policy.risk));
    expect(classifyRisk(a, policy.risk).dataClasses).toEqual(['special_category', 'internal', 'public']);
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
