/** Who must approve a use case's next gate: the gate, the roles, the quorum and the people. */
import type { Policy } from '../../domain/policy';
import type { Person, UseCase } from '../../domain/types';
import { ADVANCE_ACTION_ID } from '../actions';
import { roleName, stageName, tierLabel } from './format';
import type { Card } from './model';

export interface WhoApprovesInput {
  useCase: UseCase;
  policy: Policy;
  /** Everyone (or at least everyone holding the gate's roles). */
  people: readonly Person[];
}

export function whoApprovesCard({ useCase, policy, people }: WhoApprovesInput): Card {
  const gate = policy.lifecycle.gates.find((g) => g.from === useCase.stage);
  const title = `Who approves · ${useCase.key}`;
  if (!gate) {
    return { title, text: `No gate leads out of ${stageName(policy, useCase.stage)}.` };
  }
  const rule = gate.approvers[useCase.tier];
  const quorum = rule.quorum ?? rule.roles.length;
  const fields = rule.roles.map((role) => {
    const names = people.filter((p) => p.roles.includes(role)).map((p) => p.name);
    return { label: roleName(policy, role), value: names.length ? names.join(', ') : '⚠ no one holds this role' };
  });
  return {
    title,
    subtitle: `${gate.name}: ${stageName(policy, gate.from)} → ${stageName(policy, gate.to)}`,
    badge: { label: tierLabel(useCase.tier), tone: 'info' },
    text:
      rule.roles.length === 0
        ? 'No approval needed for this tier.'
        : quorum === rule.roles.length
          ? `Every role below must approve (${quorum} of ${rule.roles.length}).`
          : `${quorum} of the ${rule.roles.length} roles below must approve.`,
    fields,
    sections: gate.exitCriteria.length ? [{ title: 'Exit criteria', text: gate.exitCriteria.map((c) => `• ${c}`).join('\n') }] : [],
    buttons: useCase.tier === 'prohibited' ? [] : [{ label: `Request ${gate.name}`, actionId: ADVANCE_ACTION_ID, value: useCase.key, style: 'primary' }],
    // The domain excludes the requester from the approvers; say so, since it surprises people.
    context: `Whoever requests the gate cannot approve it. Requests expire after ${gate.expiresAfterDays} days.`,
  };
}
