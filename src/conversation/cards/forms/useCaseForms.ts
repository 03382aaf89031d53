/**
 * Forms that maintain an existing use case: the intake form filled in with what is stored
 * (so "update its answers" is one edit, not a re-typing), and attaching evidence to a control.
 */
import type { Policy } from '../../../domain/policy';
import type { RegisteredModel, UseCase } from '../../../domain/types';
import { EVIDENCE_FORM_ID, UPDATE_FORM_ID } from '../../actions';
import { clip, tierLabel } from '../format';
import type { Card, Input } from '../model';
import { INTAKE_INPUTS, intakeFormCard, NO, QUESTION_INPUT_PREFIX, YES } from './intakeForm';

export const EVIDENCE_INPUTS = { control: 'control', url: 'url', note: 'note' } as const;

/** Models the intake form offers (the registry minus banned ones); others cannot be chosen there. */
export const offeredModels = (models: readonly RegisteredModel[]): string[] => models.filter((m) => m.status !== 'banned').map((m) => m.name);

/** The stored answer as the input shows it; answers that no option matches are left blank. */
function initialFor(input: Input, answer: unknown): Input['initial'] {
  const options = new Set((input.options ?? []).map((o) => o.value));
  switch (input.kind) {
    case 'select': {
      const value = typeof answer === 'boolean' ? (answer ? YES : NO) : typeof answer === 'string' ? answer : undefined;
      return value !== undefined && options.has(value) ? value : undefined;
    }
    case 'multi_select':
      return Array.isArray(answer) ? answer.filter((a): a is string => typeof a === 'string' && options.has(a)) : undefined;
    case 'checkbox':
      return answer === true;
    case 'text':
    case 'multiline':
      return typeof answer === 'string' && answer ? answer : undefined;
    default:
      return undefined;
  }
}

function withInitial(input: Input, initial: Input['initial']): Input {
  const empty = initial === undefined || (Array.isArray(initial) && initial.length === 0);
  return empty ? input : { ...input, initial };
}

export interface UpdateFormInput {
  useCase: UseCase;
  policy: Policy;
  models: readonly RegisteredModel[];
}

export function updateFormCard({ useCase, policy, models }: UpdateFormInput): Card {
  const intake = intakeFormCard({ policy, models });
  const offered = new Set(offeredModels(models));
  const notOffered = useCase.models.filter((m) => !offered.has(m));
  const inputs = intake.form!.inputs.map((input): Input => {
    if (input.id === INTAKE_INPUTS.title) return withInitial(input, useCase.title);
    if (input.id === INTAKE_INPUTS.description) return withInitial(input, useCase.description || undefined);
    if (input.id === INTAKE_INPUTS.models) {
      if (input.kind !== 'multi_select') return withInitial(input, useCase.models.join(', ') || undefined);
      const kept = notOffered.length ? { hint: `Kept as they are (not offered here): ${notOffered.join(', ')}.` } : {};
      return { ...withInitial(input, useCase.models.filter((m) => offered.has(m))), ...kept };
    }
    if (input.id.startsWith(QUESTION_INPUT_PREFIX)) return withInitial(input, initialFor(input, useCase.answers[input.id.slice(QUESTION_INPUT_PREFIX.length)]));
    return input;
  });
  return {
    title: clip(`Update ${useCase.key} · ${useCase.title}`, 150),
    text: `Change what is no longer true. The answers set the risk tier again (now ${tierLabel(useCase.tier)}) and the controls it needs.`,
    form: { id: UPDATE_FORM_ID, submitLabel: 'Update', inputs, hidden: { useCaseKey: useCase.key } },
  };
}

export function evidenceFormCard({ useCase, policy }: { useCase: UseCase; policy: Policy }): Card {
  const evidenced = new Set(useCase.evidence.map((e) => e.controlId));
  const options = useCase.requiredControls.map((id) => {
    const title = policy.controls.find((c) => c.id === id)?.title ?? id;
    return { value: id, label: clip(`${evidenced.has(id) ? '✓' : '✗'} ${id} · ${title}`, 75) };
  });
  // The first control still without evidence is the likely one.
  const first = useCase.requiredControls.find((id) => !evidenced.has(id));
  return {
    title: clip(`Evidence for ${useCase.key} · ${useCase.title}`, 150),
    text: 'Link the document that shows the control is in place (a wiki page, a report, a ticket).',
    form: {
      id: EVIDENCE_FORM_ID,
      submitLabel: 'Attach',
      inputs: [
        { id: EVIDENCE_INPUTS.control, kind: 'select', label: 'Control', required: true, options, ...(first ? { initial: first } : {}) },
        { id: EVIDENCE_INPUTS.url, kind: 'text', label: 'Link to the evidence', required: true, placeholder: 'https://…', maxLength: 2000 },
        { id: EVIDENCE_INPUTS.note, kind: 'multiline', label: 'Note', required: false, maxLength: 1000 },
      ],
      hidden: { useCaseKey: useCase.key },
    },
  };
}
