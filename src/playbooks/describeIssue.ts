/** Turns a zod issue into a short sentence for someone editing YAML, not a developer. */
import type { z } from 'zod';
import { ALL_STAGES, DATA_CLASSES, RISK_TIERS, SEVERITIES } from '../domain/types';

/** Id lists the code relies on: a playbook can describe them but not add to them. */
const FIXED_IDS: readonly (readonly string[])[] = [ALL_STAGES, RISK_TIERS, DATA_CLASSES, SEVERITIES];
const isFixedList = (values: readonly unknown[]) =>
  FIXED_IDS.some((ids) => ids.length === values.length && ids.every((id) => values.includes(id)));

const show = (v: unknown) => (typeof v === 'string' ? `"${v}"` : JSON.stringify(v));

export function describeIssue(issue: z.core.$ZodIssue): string {
  const input = (issue as { input?: unknown }).input;
  switch (issue.code) {
    case 'invalid_type':
      return input === undefined ? `required (expected ${issue.expected})` : `expected ${issue.expected}, got ${show(input)}`;
    case 'invalid_value':
      return `expected one of ${issue.values.map(String).join(', ')}, got ${show(input)}${isFixedList(issue.values) ? ' (these ids are fixed by Steward)' : ''}`;
    case 'unrecognized_keys':
      return `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')}`;
    case 'invalid_union':
      return `expected ${issue.message.replace(/^Invalid input:?\s*/, '') || 'a different value'}${input === undefined ? '' : `, got ${show(input)}`}`;
    default:
      return issue.message;
  }
}
