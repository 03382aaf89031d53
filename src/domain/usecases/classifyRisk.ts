/**
 * EU AI Act risk tier from the intake answers. Pure and deterministic: the same answers and
 * policy always give the same tier and reasons, so a classification can be re-run and audited.
 * The legal references come from the policy (playbooks/risk.yaml), never from this code.
 */
import type { RiskPolicy, RiskQuestion } from '../policy';
import type { DataClass, RiskTier } from '../types';

export interface RiskClassification {
  tier: RiskTier;
  /** Why, each naming its legal reference where the policy gives one. */
  reasons: string[];
  dataClasses: DataClass[];
}

export type RiskAnswers = Record<string, unknown>;

/** Option ids that mean "none of these" in a select question. */
const NEGATIVE = new Set(['none', 'no', 'n/a', 'na', 'not_applicable', 'false']);

const asList = (answer: unknown): string[] =>
  Array.isArray(answer) ? answer.map(String) : typeof answer === 'string' && answer.length ? [answer] : [];

/** The positive selections of one answer: option ids, or ['yes'] for a boolean true. */
export function positiveSelections(q: RiskQuestion, answer: unknown): string[] {
  if (q.kind === 'boolean') return answer === true || answer === 'yes' || answer === 'true' ? ['yes'] : [];
  if (q.kind === 'text') return [];
  return asList(answer).filter((id) => !NEGATIVE.has(id.toLowerCase()));
}

const refText = (ref?: string) => (ref ? ` (${ref})` : '');

function describe(q: RiskQuestion, answer: unknown): string[] {
  const picks = positiveSelections(q, answer);
  if (q.kind === 'boolean') return picks.length ? [`${q.text}: yes${refText(q.ref)}`] : [];
  return picks.map((id) => {
    const opt = q.options?.find((o) => o.id === id);
    return `${opt?.label ?? id}${refText(opt?.ref ?? q.ref)}`;
  });
}

export function classifyRisk(answers: RiskAnswers, risk: RiskPolicy): RiskClassification {
  const bySignal = (signal: RiskQuestion['signal']) => risk.questions.filter((q) => q.signal === signal);
  const hits = (signal: RiskQuestion['signal']) => bySignal(signal).flatMap((q) => describe(q, answers[q.id]));
  const anyYes = (signal: RiskQuestion['signal']) => bySignal(signal).some((q) => positiveSelections(q, answers[q.id]).length > 0);

  const known = new Set(risk.dataClasses.map((d) => d.id));
  const dataClasses = [
    ...new Set(bySignal('data_classes').flatMap((q) => asList(answers[q.id]).filter((id): id is DataClass => known.has(id as DataClass)))),
  ].sort((a, b) => rank(risk, b) - rank(risk, a));

  const prohibited = hits('prohibited');
  if (prohibited.length) return { tier: 'prohibited', reasons: prohibited.map((r) => `Prohibited practice: ${r}`), dataClasses };

  const safety = hits('high');
  if (safety.length) return { tier: 'high', reasons: safety.map((r) => `High-risk: ${r}`), dataClasses };

  const annex = hits('high_annex_iii');
  if (annex.length) {
    const exemptionQ = bySignal('exemption');
    const profilingQ = bySignal('profiling');
    const exempt = anyYes('exemption');
    const profiling = anyYes('profiling');
    if (exempt && !profiling) {
      const reasons = [
        ...annex.map((r) => `Annex III area: ${r}`),
        `Not high-risk: the exemption for narrow, preparatory or procedural tasks applies${refText(exemptionQ[0]?.ref)}`,
      ];
      return classifyBelowHigh(answers, risk, reasons, dataClasses);
    }
    const reasons = annex.map((r) => `High-risk: Annex III area ${r}`);
    if (exempt && profiling) reasons.push(`The exemption is not available because the system profiles natural persons${refText(profilingQ[0]?.ref)}`);
    return { tier: 'high', reasons, dataClasses };
  }
  return classifyBelowHigh(answers, risk, [], dataClasses);
}

function classifyBelowHigh(answers: RiskAnswers, risk: RiskPolicy, prior: string[], dataClasses: DataClass[]): RiskClassification {
  const transparency = risk.questions
    .filter((q) => q.signal === 'transparency')
    .flatMap((q) => describe(q, answers[q.id]));
  if (transparency.length) {
    return { tier: 'transparency', reasons: [...prior, ...transparency.map((r) => `Transparency duty: ${r}`)], dataClasses };
  }
  return { tier: 'minimal', reasons: [...prior, 'No prohibited, high-risk or transparency signal in the answers'], dataClasses };
}

const rank = (risk: RiskPolicy, id: DataClass) => risk.dataClasses.find((d) => d.id === id)?.rank ?? 0;
