/**
 * The shipped catalogue must equal the reference data exactly (same ids, same titles, same
 * counts). The reference is vendored for tests (test/fixtures/reference, kept equal to the
 * workspace's ../shared/reference by test/reference.sync.test.ts); the product never reads it.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { catalogue, frameworkTitle, isKnownFrameworkId, resolveFrameworkId } from './index';
import { referencePath } from '../../test/support/reference';

const refDir =
  referencePath('frameworks');
const ref = (file: string) => JSON.parse(readFileSync(path.join(refDir, file), 'utf8'));

beforeAll(() => {
  if (!existsSync(refDir)) throw new Error(`reference data not found at ${refDir} (set STEWARD_REFERENCE_ROOT)`);
});

describe('NIST AI RMF 1.0', () => {
  it('has exactly the 72 reference subcategories, text included', () => {
    const reference = ref('nist-ai-rmf-1.0.json');
    expect(reference).toHaveLength(72);
    expect(catalogue.nistAiRmf.subcategories).toEqual(reference);
    expect(new Set(catalogue.nistAiRmf.subcategories.map((s) => s.id)).size).toBe(72);
  });
  it('has the 19 categories of the reference, and no invented MANAGE 3.3 / 4.4', () => {
    const meta = ref('nist-ai-rmf-1.0.meta.json');
    expect(catalogue.nistAiRmf.categories).toEqual(
      meta.categories.map((c: { id: string; function: string; text: string }) => ({ id: c.id, function: c.function, text: c.text })),
    );
    expect(catalogue.nistAiRmf.categories).toHaveLength(19);
    expect(isKnownFrameworkId('MANAGE 3.3')).toBe(false);
    expect(isKnownFrameworkId('MANAGE 4.4')).toBe(false);
  });
  it('counts per function match the reference', () => {
    const meta = ref('nist-ai-rmf-1.0.meta.json');
    for (const [fn, counts] of Object.entries(meta.counts.by_function) as [string, { subcategories: number }][]) {
      expect(catalogue.nistAiRmf.subcategories.filter((s) => s.function === fn)).toHaveLength(counts.subcategories);
    }
  });
});

describe('ISO/IEC 42001 Annex A', () => {
  it('has objectives A.2-A.10 and 38 controls with the reference titles', () => {
    const reference = ref('iso-iec-42001-2023-annex-a.json');
    const shipped = catalogue.iso42001.objectives;
    expect(shipped.map((o) => o.id)).toEqual(['A.2', 'A.3', 'A.4', 'A.5', 'A.6', 'A.7', 'A.8', 'A.9', 'A.10']);
    expect(shipped).toHaveLength(reference.counts.control_objectives);
    expect(shipped.flatMap((o) => o.controls)).toHaveLength(reference.counts.controls);
    expect(shipped).toEqual(
      reference.objectives.map((o: { id: string; objective_title: string; controls: unknown[]; sub_objectives?: unknown[] }) => ({
        id: o.id,
        title: o.objective_title,
        ...(o.sub_objectives ? { subObjectives: o.sub_objectives } : {}),
        controls: o.controls,
      })),
    );
    expect(isKnownFrameworkId('A.11')).toBe(false);
  });
});

describe('OWASP LLM Top 10 2025', () => {
  it('equals the reference ids and names', () => {
    const reference = ref('owasp-llm-2025.json');
    expect(catalogue.owaspLlm.items).toEqual(reference.items);
    expect(catalogue.owaspLlm.items).toHaveLength(10);
    // 2023 ids without the year are stale and must not resolve.
    expect(isKnownFrameworkId('LLM01')).toBe(false);
  });
});

describe('NIST AI 600-1', () => {
  it('has the 12 reference risks by section and name', () => {
    const reference = ref('nist-ai-600-1-gai-risks.json');
    expect(catalogue.nistGai.risks.map((r) => ({ section: r.section, name: r.name }))).toEqual(
      reference.risks.map((r: { section: string; name: string }) => ({ section: r.section, name: r.name })),
    );
    expect(catalogue.nistGai.risks).toHaveLength(12);
    expect(catalogue.nistGai.risks.every((r) => r.id === `GAI ${r.section}`)).toBe(true);
  });
});

describe('EU AI Act', () => {
  const eu = () => ref('eu-ai-act.json');
  it('ships every key obligation article with its reference title', () => {
    for (const k of eu().key_obligations as { article: string; title: string }[]) {
      const a = catalogue.euAiAct.articles.find((x) => x.number === k.article);
      expect(a).toEqual({ id: `Art. ${k.article}`, number: k.article, title: k.title, official: true });
    }
  });
  it('official titles not in key_obligations appear verbatim in the reference', () => {
    const text = JSON.stringify(eu());
    const extra = catalogue.euAiAct.articles.filter(
      (a) => a.official && !eu().key_obligations.some((k: { article: string }) => k.article === a.number),
    );
    expect(extra.map((a) => a.id).sort()).toEqual(['Art. 50', 'Art. 55']);
    for (const a of extra) expect(text).toContain(a.title);
  });
  it('Art. 5 practices, Annex III areas and Art. 50 duties equal the reference', () => {
    const [prohibited, high, transparency] = eu().risk_tiers;
    expect(catalogue.euAiAct.prohibitedPractices).toEqual(
      prohibited.practices.map((p: { ref: string; summary: string }) => ({ ref: `Art. ${p.ref}`, summary: p.summary })),
    );
    expect(catalogue.euAiAct.annexIII).toEqual(
      high.annex_iii_areas.map((a: { point: number; area: string }) => ({ id: `Annex III ${a.point}`, point: a.point, area: a.area })),
    );
    expect(catalogue.euAiAct.transparencyObligations).toEqual(
      transparency.obligations.map((o: { ref: string; actor: string; summary: string }) => ({
        ref: `Art. ${o.ref}`,
        actor: o.actor,
        summary: o.summary,
      })),
    );
  });
  it('Art. 73 deadlines equal the days stated in the reference text', () => {
    const deadlines = eu().serious_incident_reporting_art73.deadlines as { case: string; deadline: string }[];
    const days = (i: number) => Number(/not later than (\d+) days/.exec(deadlines[i]!.deadline)![1]);
    expect(catalogue.euAiAct.seriousIncidentDeadlinesDays).toEqual({
      general: days(0),
      widespread_or_critical_infrastructure: days(1),
      death: days(2),
    });
  });
});

describe('every shipped file names its provenance', () => {
  it.each(Object.entries(catalogue))('%s', (_name, data) => {
    expect(data.provenance).toMatch(/\w.{40,}/);
  });
});

describe('resolveFrameworkId', () => {
  it('resolves each framework by its official id', () => {
    expect(resolveFrameworkId('MEASURE 2.5')).toMatchObject({ framework: 'nist_ai_rmf', id: 'MEASURE 2.5' });
    expect(resolveFrameworkId('Art. 9')).toEqual({ framework: 'eu_ai_act', id: 'Art. 9', title: 'Risk management system' });
    expect(resolveFrameworkId('LLM01:2025')).toEqual({ framework: 'owasp_llm', id: 'LLM01:2025', title: 'Prompt Injection' });
    expect(frameworkTitle('A.6.2.6')).toBe('AI system operation and monitoring');
    expect(frameworkTitle('GAI 2.2')).toBe('Confabulation');
  });
  it('is forgiving about spelling and returns the canonical id', () => {
    expect(resolveFrameworkId('  measure   2.5 ')?.id).toBe('MEASURE 2.5');
    expect(resolveFrameworkId('Article 50 (2)')).toMatchObject({ id: 'Art. 50(2)', title: expect.stringContaining('Transparency') });
    expect(resolveFrameworkId('Art. 5(1)(a)')?.detail).toContain('subliminal');
    expect(resolveFrameworkId('Annex III(4)')?.title).toContain('Employment');
  });
  it('refuses unknown ids and ids of another framework', () => {
    // Paragraphs and points are validated, not only articles (issue 13).
    for (const bad of ['Art. 5(1)(i)', 'Art. 50(9)', 'Art. 73(12)(z)', 'Art. 6(3)(e)', 'Art. 4(1)', 'Annex III 8(c)', 'Annex III 2(a)']) expect(resolveFrameworkId(bad)).toBeUndefined();
    for (const good of ['Art. 5(1)(h)', 'Art. 50(7)', 'Art. 73(5)', 'Art. 6(3)(d)', 'Art. 26(11)', 'Art. 27(1)(f)', 'Annex III 5(b)', 'Annex III 2', 'Art. 99', 'Art. 113']) expect(resolveFrameworkId(good)?.id).toBe(good);
    for (const bad of ['MEASURE 9.9', 'Art. 999', 'Art. 7', 'LLM11:2025', 'A.6.2.9', 'GAI 2.13', 'Annex III 9', '']) {
      expect(resolveFrameworkId(bad)).toBeUndefined();
    }
    expect(resolveFrameworkId('Art. 9', 'nist_ai_rmf')).toBeUndefined();
    expect(resolveFrameworkId('Art. 9', 'eu_ai_act')).toBeDefined();
  });
});
