/** What a person picks in Steward's modals, by input block id (see support/modal.ts). */
import { inputBlockId } from '../../../../src/conversation/actions';
import { INTAKE_INPUTS, NO, questionInputId, YES } from '../../../../src/conversation/cards/forms/intakeForm';
import type { RiskTier } from '../../../../src/domain/types';
import { ANSWERS_FOR } from '../../../support/usecases';
import type { Answer } from './modal';

/** The intake modal answered for a tier (test/support/usecases ANSWERS_FOR): yes/no picked from the select. */
export function intakeAnswers(title: string, tier: RiskTier): Record<string, Answer> {
  const answers: Record<string, Answer> = {
    [inputBlockId(INTAKE_INPUTS.title)]: title,
    [inputBlockId(INTAKE_INPUTS.description)]: `${title}: drafts for the team`,
  };
  for (const [q, a] of Object.entries(ANSWERS_FOR[tier])) answers[inputBlockId(questionInputId(q))] = typeof a === 'boolean' ? (a ? YES : NO) : (a as string | string[]);
  return answers;
}
