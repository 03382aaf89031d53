/**
 * EU AI Act Art. 73 reporting clock. The day counts come from the policy
 * (playbooks: incidents.serious.deadlinesDays), which the tests check against the
 * regulation text in the reference data: 15 days in general (73(2)), 2 days for a widespread
 * infringement or critical-infrastructure disruption (73(3)), 10 days after a death (73(4)).
 */
import type { IncidentPolicy } from '../policy';
import type { SeriousBasis } from '../types';

export const SERIOUS_BASES: readonly SeriousBasis[] = ['general', 'widespread_or_critical_infrastructure', 'death'];
const DAY_MS = 86_400_000;

/** The latest moment the report may reach the authority: awareness + N whole days. */
export function art73Deadline(awareAt: Date, basis: SeriousBasis, deadlinesDays: IncidentPolicy['serious']['deadlinesDays']): Date {
  const days = deadlinesDays[basis];
  if (typeof days !== 'number' || !(days > 0)) throw new Error(`policy has no Art. 73 deadline for basis ${basis}`);
  return new Date(awareAt.getTime() + days * DAY_MS);
}
