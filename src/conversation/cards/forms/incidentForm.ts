/** The incident report form: categories, severities and seriousness questions come from the playbook. */
import type { Policy } from '../../../domain/policy';
import type { RegisteredModel, UseCase } from '../../../domain/types';
import { INCIDENT_FORM_ID } from '../../actions';
import { clip } from '../format';
import type { Card, Input } from '../model';

export const INCIDENT_INPUTS = {
  useCase: 'use_case',
  model: 'model',
  category: 'category',
  severity: 'severity',
  title: 'title',
  description: 'description',
  killSwitch: 'kill_switch',
  awareSince: 'aware_since',
} as const;
export const SERIOUS_INPUT_PREFIX = 'serious_';

export interface IncidentFormInput {
  policy: Policy;
  useCases?: readonly Pick<UseCase, 'key' | 'title'>[];
  models?: readonly Pick<RegisteredModel, 'name' | 'displayName'>[];
  /** Preselects the use case (the "Report incident" button on a use case card). */
  useCaseKey?: string;
  /** Today as YYYY-MM-DD (the clock's day): the "Aware since" default. */
  today?: string;
}

export function incidentFormCard({ policy, useCases = [], models = [], useCaseKey, today }: IncidentFormInput): Card {
  const inputs: Input[] = [
    useCases.length
      ? {
          id: INCIDENT_INPUTS.useCase,
          kind: 'select',
          label: 'Use case',
          required: false,
          options: useCases.slice(0, 100).map((u) => ({ value: u.key, label: clip(`${u.key} · ${u.title}`, 75) })),
          ...(useCaseKey && useCases.some((u) => u.key === useCaseKey) ? { initial: useCaseKey } : {}),
        }
      : { id: INCIDENT_INPUTS.useCase, kind: 'text', label: 'Use case (UC-n)', required: false, maxLength: 20, ...(useCaseKey ? { initial: useCaseKey } : {}) },
    ...(models.length
      ? [{ id: INCIDENT_INPUTS.model, kind: 'select' as const, label: 'Model', required: false, options: models.slice(0, 100).map((m) => ({ value: m.name, label: clip(m.displayName, 75) })) }]
      : []),
    {
      id: INCIDENT_INPUTS.category,
      kind: 'select',
      label: 'Category',
      required: true,
      options: policy.incidents.categories.map((c) => ({ value: c.id, label: c.name })),
    },
    {
      id: INCIDENT_INPUTS.severity,
      kind: 'select',
      label: 'Severity',
      required: true,
      options: policy.incidents.severities.map((s) => ({ value: s.id, label: `${s.id.toUpperCase()} · ${s.name}` })),
      hint: policy.incidents.severities.map((s) => `${s.id.toUpperCase()}: ${s.definition}`).join(' '),
    },
    { id: INCIDENT_INPUTS.title, kind: 'text', label: 'Short title', required: false, maxLength: 150 },
    {
      id: INCIDENT_INPUTS.description,
      kind: 'multiline',
      label: 'What happened?',
      required: true,
      maxLength: 3000,
      hint: 'Personal data and secrets are redacted before the report is stored.',
    },
    {
      id: INCIDENT_INPUTS.awareSince,
      kind: 'date',
      label: 'Aware since',
      required: false,
      ...(today ? { initial: today } : {}),
      hint: 'The day the organisation became aware of it. For a serious incident the EU AI Act Art. 73 deadline counts from this day, not from this report.',
    },
    ...policy.incidents.serious.questions.map((q) => ({ id: `${SERIOUS_INPUT_PREFIX}${q.id}`, kind: 'checkbox' as const, label: q.text, required: false })),
    { id: INCIDENT_INPUTS.killSwitch, kind: 'checkbox', label: 'Pull the kill switch now (stops the use case)', required: false },
  ];
  return {
    title: 'Report an AI incident',
    form: { id: INCIDENT_FORM_ID, submitLabel: 'Report', inputs, hidden: useCaseKey ? { useCaseKey } : {} },
  };
}
