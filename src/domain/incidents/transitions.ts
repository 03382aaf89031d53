/** Incident status moves: forward only, except reopening a resolved incident. */
import { INCIDENT_STATUSES, type IncidentStatus } from '../types';

export function canMove(from: IncidentStatus, to: IncidentStatus): boolean {
  if (from === 'resolved' && to === 'mitigating') return true; // reopen
  return INCIDENT_STATUSES.indexOf(to) > INCIDENT_STATUSES.indexOf(from);
}

export const OPEN_STATUSES: IncidentStatus[] = ['reported', 'triaged', 'mitigating'];
export const isOpen = (s: IncidentStatus) => OPEN_STATUSES.includes(s);
