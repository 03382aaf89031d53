/** RACI for one use case: one area or all, named people, and a warning where accountability is broken. */
import type { Policy } from '../../domain/policy';
import type { RaciAssignment, UseCase } from '../../domain/types';
import { SHOW_USE_CASE_ACTION_ID } from '../actions';
import { areaName, namesOf } from './format';
import type { PeopleIndex } from './format';
import type { Card, Section } from './model';

export interface RaciCardInput {
  useCase: UseCase;
  policy: Policy;
  people: PeopleIndex;
  /** Show one area only. */
  area?: string;
}

/** Exactly one Accountable per area is the rule; anything else is worth a line of its own. */
export function accountabilityWarning(assignment: RaciAssignment): string | undefined {
  if (assignment.accountable.length === 0) return 'No one is Accountable for this area.';
  if (assignment.accountable.length > 1) return `${assignment.accountable.length} people are Accountable; there should be exactly one.`;
  return undefined;
}

function areaSection(assignment: RaciAssignment, policy: Policy, people: PeopleIndex): Section {
  const warning = accountabilityWarning(assignment);
  return {
    title: areaName(policy, assignment.area),
    ...(warning ? { badge: { label: 'Check', tone: 'warning' as const }, text: `⚠ ${warning}` } : {}),
    fields: [
      { label: 'Responsible', value: namesOf(people, assignment.responsible) },
      { label: 'Accountable', value: namesOf(people, assignment.accountable) },
      { label: 'Consulted', value: namesOf(people, assignment.consulted) },
      { label: 'Informed', value: namesOf(people, assignment.informed) },
    ],
  };
}

export function raciCard({ useCase, policy, people, area }: RaciCardInput): Card {
  const assignments = area ? useCase.raci.filter((a) => a.area === area) : useCase.raci;
  // Areas the playbook defines but the use case has no assignment for are a gap too.
  const missing = area ? [] : policy.raci.filter((def) => !useCase.raci.some((a) => a.area === def.id));
  const sections = assignments.map((a) => areaSection(a, policy, people));
  for (const def of missing) {
    sections.push({ title: def.name, badge: { label: 'Unassigned', tone: 'warning' }, text: '⚠ No one is assigned to this area.' });
  }
  const warnings = assignments.filter((a) => accountabilityWarning(a)).length + missing.length;
  return {
    title: `RACI · ${useCase.key} · ${useCase.title}`,
    subtitle: area ? areaName(policy, area) : 'Responsible, Accountable, Consulted, Informed',
    ...(warnings ? { badge: { label: `${warnings} to fix`, tone: 'warning' as const } } : {}),
    ...(sections.length ? { sections } : { text: area ? `No assignment for ${areaName(policy, area)} yet.` : 'No RACI assigned yet.' }),
    buttons: [{ label: 'Open use case', actionId: SHOW_USE_CASE_ACTION_ID, value: useCase.key }],
    context: `Change it with: raci ${useCase.key} ${area ?? '<area>'} responsible|accountable|consulted|informed <email|name>[, …]`,
  };
}
