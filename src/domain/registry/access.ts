/**
 * Who may change the registry. Kept beside the operations so the rules read in one place.
 */
import { hasAnyRole, requireActor } from '../people/actor';
import type { Person, RegisteredModel } from '../types';

export { hasAnyRole };
/** The acting person, from the people area: one refusal (`person.unknown`) everywhere. */
export const loadActor = requireActor;

/** Register and maintain models (engineering roles that run them). */
export const REGISTRY_ROLES = ['llmops_engineer', 'platform_engineering', 'ai_coe_admin'] as const;
/** Approve a model for use: a security, legal or CoE decision, never the engineer's alone. */
export const MODEL_APPROVER_ROLES = ['ai_security_specialist', 'ai_governance_legal', 'ai_coe_admin'] as const;

/** May change the model's details or take it out of use (restrict, deprecate, ban). */
export const mayMaintain = (person: Person, model: RegisteredModel): boolean =>
  model.ownerId === person.id || hasAnyRole(person, REGISTRY_ROLES) || hasAnyRole(person, MODEL_APPROVER_ROLES);
