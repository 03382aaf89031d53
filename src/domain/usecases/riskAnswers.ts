/**
 * Reading intake answers against the questionnaire: which selections are positive, and
 * whether a conditional question is asked at all. Shared by the classifier, the answer
 * validation and the obligations, so all three read an answer the same way.
 */
import type { RiskPolicy, RiskQuestion } from '../policy';

export type RiskAnswers = Record<string, unknown>;

/** Option ids that mean "none of these" in a select question. */
const NEGATIVE = new Set(['none', 'no', 'n/a', 'na', 'not_applicable', 'false']);

export const asList = (answer: unknown): string[] =>
  Array.isArray(answer) ? answer.map(String) : typeof answer === 'string' && answer.length ? [answer] : [];

/** The positive selections of one answer: option ids, or ['yes'] for a boolean true. */
export function positiveSelections(q: RiskQuestion, answer: unknown): string[] {
  if (q.kind === 'boolean') return answer === true || answer === 'yes' || answer === 'true' ? ['yes'] : [];
  if (q.kind === 'text') return typeof answer === 'string' && answer.trim() ? [answer.trim()] : [];
  return asList(answer).filter((id) => !NEGATIVE.has(id.toLowerCase()));
}

/** Whether one answer holds one of `values` (option ids, true/false, or `any` positive answer). */
export function answerMatches(q: RiskQuestion | undefined, answer: unknown, values: readonly (string | boolean)[]): boolean {
  if (!q) return false;
  const picks = positiveSelections(q, answer);
  return values.some((v) => {
    if (v === 'any') return picks.length > 0;
    if (typeof v === 'boolean') return q.kind === 'boolean' ? picks.length > 0 === v : false;
    return asList(answer).includes(v);
  });
}

/**
 * Whether a question is asked given the other answers: a question with `when` is asked only
 * while its condition holds (recursively, so a follow-up of an unasked question is not asked).
 */
export function isAsked(q: RiskQuestion, answers: RiskAnswers, risk: RiskPolicy, depth = 0): boolean {
  if (!q.when || depth > 5) return true;
  const parent = risk.questions.find((p) => p.id === q.when!.question);
  if (!parent || !isAsked(parent, answers, risk, depth + 1)) return false;
  return answerMatches(parent, answers[parent.id], q.when.anyOf);
}

/** Positive selections of an asked question (an unasked one counts as unanswered). */
export function picksOf(q: RiskQuestion, answers: RiskAnswers, risk: RiskPolicy): string[] {
  return isAsked(q, answers, risk) ? positiveSelections(q, answers[q.id]) : [];
}
