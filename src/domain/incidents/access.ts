/** Who may act on an incident, in one place. */
import { NotFoundError } from '../errors';
import type { DomainContext } from '../ports';
import type { Incident, Person } from '../types';
import { hasAnyRole, requireActor } from '../people/actor';

export { hasAnyRole };
export const loadActor = requireActor;

/** Move an incident through its statuses. */
export const INCIDENT_RESPONDER_ROLES = ['ai_security_specialist', 'ai_coe_admin'] as const;
/** Flag an incident as serious (an Art. 73 judgement). */
export const SERIOUS_FLAG_ROLES = ['ai_governance_legal', 'ai_coe_admin'] as const;
/** Record that the Art. 73 report went to the authority. */
export const REPORT_ROLES = ['ai_governance_legal'] as const;

export async function loadIncident(ctx: DomainContext, key: string): Promise<Incident> {
  const incident = await ctx.repos.incidents.get(key);
  if (!incident) throw new NotFoundError('incident.not_found', `No incident ${key}.`);
  return incident;
}

export const isOwner = (person: Person, incident: Incident) => incident.ownerId === person.id;

/** People who may add notes: those already involved, plus security, legal and the CoE. */
export const mayAnnotate = (person: Person, incident: Incident) =>
  isOwner(person, incident) ||
  incident.reporterId === person.id ||
  hasAnyRole(person, ['ai_security_specialist', 'ai_governance_legal', 'ai_coe_admin']);
