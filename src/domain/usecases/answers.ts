import { ValidationError } from '../errors';
import type { RiskPolicy } from '../policy';
import { isAsked, type RiskAnswers } from './riskAnswers';

/**
 * Checks intake answers against the questions: known question ids, option ids that exist,
 * the right shape per kind, and every required question answered. Returns the answers with
 * unknown keys refused rather than silently kept.
 */
export function validateAnswers(answers: RiskAnswers, risk: RiskPolicy, opts: { requireAll: boolean }): RiskAnswers {
  const byId = new Map(risk.questions.map((q) => [q.id, q]));
  for (const [id, value] of Object.entries(answers)) {
    const q = byId.get(id);
    if (!q) throw new ValidationError('usecase.invalid_answers', `answers.${id}: not a question; expected one of ${[...byId.keys()].join(', ')}`);
    const fail = (what: string) => new ValidationError('usecase.invalid_answers', `answers.${id}: ${what}`);
    const options = q.options?.map((o) => o.id) ?? [];
    if (q.kind === 'boolean' && typeof value !== 'boolean') throw fail('expected yes or no (true/false)');
    if (q.kind === 'text' && typeof value !== 'string') throw fail('expected text');
    if (q.kind === 'text' && q.format === 'date' && value !== '' && !isIsoDay(value as string)) throw fail('expected a date as YYYY-MM-DD');
    if (q.kind === 'single_select' && (typeof value !== 'string' || !options.includes(value))) {
      throw fail(`expected one of ${options.join(', ')}`);
    }
    if (q.kind === 'multi_select') {
      if (!Array.isArray(value)) throw fail(`expected a list of ${options.join(', ')}`);
      const bad = value.find((v) => typeof v !== 'string' || !options.includes(v));
      if (bad !== undefined) throw fail(`${String(bad)} is not one of ${options.join(', ')}`);
    }
  }
  if (opts.requireAll) {
    // A follow-up question is required only while the answer that asks it holds; a yes/no
    // follow-up is a check box on the forms, so leaving it unticked answers "no".
    const missing = risk.questions.find(
      (q) => q.required && !(q.when && q.kind === 'boolean') && isAsked(q, answers, risk) && (answers[q.id] === undefined || answers[q.id] === ''),
    );
    if (missing) throw new ValidationError('usecase.missing_answer', `answers.${missing.id}: required (${missing.text})`);
  }
  return answers;
}

const isIsoDay = (s: string): boolean => /^\d{4}-\d{2}-\d{2}$/.test(s) && !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s);
