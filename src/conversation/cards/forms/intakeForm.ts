/** The intake form, generated from the playbook's risk questions so a new question needs no code. */
import type { Policy, RiskQuestion } from '../../../domain/policy';
import type { RegisteredModel } from '../../../domain/types';
import { INTAKE_FORM_ID } from '../../actions';
import type { Card, Input } from '../model';

export const INTAKE_INPUTS = { title: 'title', description: 'description', models: 'models' } as const;
export const QUESTION_INPUT_PREFIX = 'q_';
export const questionInputId = (questionId: string): string => `${QUESTION_INPUT_PREFIX}${questionId}`;

export const YES = 'yes';
export const NO = 'no';

function questionHint(q: RiskQuestion): string | undefined {
  const hint = [q.help, q.ref ? `(${q.ref})` : ''].filter(Boolean).join(' ');
  return hint || undefined;
}

export function questionInput(q: RiskQuestion): Input {
  const base = { id: questionInputId(q.id), label: q.text, required: q.required, hint: questionHint(q) };
  switch (q.kind) {
    case 'boolean':
      // Yes or no, always picked on purpose: a lone checkbox left alone would silently say "no".
      return { ...base, kind: 'select', options: [{ value: YES, label: 'Yes' }, { value: NO, label: 'No' }] };
    case 'single_select':
      return { ...base, kind: 'select', options: (q.options ?? []).map((o) => ({ value: o.id, label: o.label })) };
    case 'multi_select':
      return { ...base, kind: 'multi_select', options: (q.options ?? []).map((o) => ({ value: o.id, label: o.label })) };
    case 'text':
      return { ...base, kind: 'multiline', maxLength: 2000 };
  }
}

export function intakeFormCard({ policy, models }: { policy: Policy; models: readonly RegisteredModel[] }): Card {
  const usable = models.filter((m) => m.status !== 'banned');
  const inputs: Input[] = [
    { id: INTAKE_INPUTS.title, kind: 'text', label: 'Title', required: true, maxLength: 150, placeholder: 'e.g. Support reply drafting' },
    {
      id: INTAKE_INPUTS.description,
      kind: 'multiline',
      label: 'What will it do, for whom?',
      required: true,
      maxLength: 3000,
    },
    usable.length
      ? { id: INTAKE_INPUTS.models, kind: 'multi_select', label: 'Models it will use', required: false, options: usable.map((m) => ({ value: m.name, label: `${m.displayName} (${m.status})` })) }
      : { id: INTAKE_INPUTS.models, kind: 'text', label: 'Models it will use', required: false, placeholder: 'comma-separated model names', maxLength: 500 },
    ...policy.risk.questions.map(questionInput),
  ];
  return {
    title: 'Propose a use case',
    text: 'Your answers set the EU AI Act risk tier and the controls the use case needs.',
    form: { id: INTAKE_FORM_ID, submitLabel: 'Propose', inputs, hidden: {} },
  };
}
