/** Who may act on an incident, in one place. */
import { NotFoundError } from '../errors';
import type { Change, DomainContext } from '../ports';
import type { Incident, Person } from '../types';
import { hasAnyRole, requireActor } from '../people/actor';
import { updateRecord } from '../records/updateRecord';

export { hasAnyRole };
export const loadActor = requireActor;

/** Move an incident through its statuses. */
export const INCIDENT_RESPONDER_ROLES = ['ai_security_specialist', 'ai_coe_admin'] as const;
/** Flag an incident as serious (an Art. 73 judgement). */
export const SERIOUS_FLAG_ROLES = ['ai_governance_legal', 'ai_coe_admin'] as const;
/** Record that the Art. 73 report went to the authority. */
export const REPORT_ROLES = ['ai_governance_legal'] as const;

const notFound = (key: string) => new NotFoundError('incident.not_found', `No incident ${key}.`);

export async function loadIncident(ctx: DomainContext, key: string): Promise<Incident> {
  const incident = await ctx.repos.incidents.get(key);
  if (!incident) throw notFound(key);
  return incident;
}

/** An incident's next version and what changed (its time is the step's `now`). */
export interface IncidentStep {
  record: Incident;
  change: Omit<Change, 'at'>;
}

/**
 * Writes one change to an incident as its next version. `step` decides on the newest version
 * (rules included) and runs again if another writer stored a version first, so a concurrent
 * note or status change is never overwritten and a rule is never checked on a stale copy.
 */
export async function changeIncident(
  ctx: DomainContext,
  key: string,
  step: (incident: Incident, now: Date) => IncidentStep | Promise<IncidentStep>,
): Promise<Incident> {
  const { record } = await updateRecord(
    ctx,
    ctx.repos.incidents,
    key,
    async (incident) => {
      const now = ctx.clock.now();
      const next = await step(incident, now);
      return { record: next.record, change: { at: now, ...next.change } };
    },
    () => notFound(key),
  );
  return record;
}

export const isOwner = (person: Person, incident: Incident) => incident.ownerId === person.id;

/** People who may add notes: those already involved, plus security, legal and the CoE. */
export const mayAnnotate = (person: Person, incident: Incident) =>
  isOwner(person, incident) ||
  incident.reporterId === person.id ||
  hasAnyRole(person, ['ai_security_specialist', 'ai_governance_legal', 'ai_coe_admin']);
