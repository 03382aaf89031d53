/** Who may read a use case's evidence (packs contain the whole record): people named on it, governance, admins. */
import { ForbiddenError } from '../errors';
import { ADMIN_ROLE, hasAnyRole } from '../people/actor';
import type { Person, UseCase } from '../types';

/** Legal and governance read every use case's evidence; the role ids are the playbook's (roles.yaml). */
export const EVIDENCE_READER_ROLES = [ADMIN_ROLE, 'ai_governance_legal'] as const;

export function canReadEvidence(actor: Person, uc: UseCase): boolean {
  const named = [uc.ownerId, uc.proposerId, ...uc.raci.flatMap((r) => [...r.responsible, ...r.accountable, ...r.consulted, ...r.informed])];
  return named.includes(actor.id) || hasAnyRole(actor, EVIDENCE_READER_ROLES);
}

export function requireEvidenceReader(actor: Person, uc: UseCase): void {
  if (!canReadEvidence(actor, uc)) {
    throw new ForbiddenError('evidence.forbidden', `Only people named on ${uc.key}, AI governance and legal, or an AI CoE admin can see its evidence.`);
  }
}
