/** Who may attest a review: the people answerable for safety & compliance on the use case. */
import { hasAnyRole } from '../people/actor';
import { SAFETY_AREA } from '../incidents/owner';
import type { Person, UseCase } from '../types';

export const REVIEW_ROLES = ['ai_governance_legal'] as const;

export function mayCompleteReview(person: Person, useCase: UseCase): boolean {
  const area = useCase.raci.find((a) => a.area === SAFETY_AREA);
  return (
    useCase.ownerId === person.id ||
    !!area?.responsible.includes(person.id) ||
    !!area?.accountable.includes(person.id) ||
    hasAnyRole(person, REVIEW_ROLES)
  );
}
