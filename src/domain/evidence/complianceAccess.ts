/** Who records compliance facts for a use case, and whether an article applies to it. */
import { ForbiddenError, ValidationError } from '../errors';
import { ADMIN_ROLE, hasRole } from '../people/actor';
import type { Person, UseCase } from '../types';
import type { EvidencePorts } from './ports';
import { owes } from './readiness';

/** The Accountable (and, when `responsibleToo`, the Responsible) of the use case's safety and compliance area, or an admin. */
export function requireComplianceOwner(actor: Person, uc: UseCase, what: string, responsibleToo = false): void {
  const area = uc.raci.find((r) => r.area === 'safety_compliance');
  const allowed = [...(area?.accountable ?? []), ...(responsibleToo ? (area?.responsible ?? []) : [])];
  if (!allowed.includes(actor.id) && !hasRole(actor, ADMIN_ROLE)) {
    throw new ForbiddenError('evidence.not_owner', `Only the Accountable for safety and compliance of ${uc.key}${responsibleToo ? ' (or someone Responsible for it)' : ''} or an AI CoE admin can record ${what}.`);
  }
}

/** Refuses when the legal model says the article does not apply (when there is no legal model, nothing is refused). */
export function requireOwed(ports: EvidencePorts, uc: UseCase, now: Date, prefix: string, what: string): void {
  if (!ports.obligationsFor) return;
  if (!owes(ports.obligationsFor(uc, now), prefix)) {
    throw new ValidationError('evidence.not_required', `${prefix} does not apply to ${uc.key} (${uc.tier} risk), so no ${what} is recorded for it.`);
  }
}
