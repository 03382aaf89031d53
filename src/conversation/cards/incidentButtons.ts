/**
 * The lifecycle buttons of an incident card: the next status step(s) and "Record Art. 73
 * report". Shown to the people the domain would let act; a card with no known viewer (a
 * notification to a channel) shows them all and the domain still decides on the press.
 */
import { INCIDENT_RESPONDER_ROLES, REPORT_ROLES, hasAnyRole, isOwner } from '../../domain/incidents/access';
import type { Incident, IncidentStatus, Person } from '../../domain/types';
import { encodeValue, INCIDENT_STATUS_ACTION_ID, OPEN_ART73_FORM_ACTION_ID } from '../actions';
import type { Button } from './model';

/** The usual next step from each status; a resolved incident may also be reopened. */
const NEXT_STEPS: Record<IncidentStatus, readonly { label: string; status: IncidentStatus }[]> = {
  reported: [{ label: 'Triage', status: 'triaged' }],
  triaged: [{ label: 'Mitigating', status: 'mitigating' }],
  mitigating: [{ label: 'Resolve', status: 'resolved' }],
  resolved: [
    { label: 'Close', status: 'closed' },
    { label: 'Reopen', status: 'mitigating' },
  ],
  closed: [],
};

export const mayMoveIncident = (viewer: Person | undefined, incident: Incident): boolean =>
  !viewer || isOwner(viewer, incident) || hasAnyRole(viewer, INCIDENT_RESPONDER_ROLES);

export const mayRecordArt73 = (viewer: Person | undefined, incident: Incident): boolean =>
  !viewer || isOwner(viewer, incident) || hasAnyRole(viewer, REPORT_ROLES);

export const art73Outstanding = (incident: Incident): boolean => Boolean(incident.serious && !incident.serious.reportSubmittedAt);

export function incidentLifecycleButtons(incident: Incident, viewer?: Person): Button[] {
  const buttons: Button[] = [];
  if (mayMoveIncident(viewer, incident)) {
    for (const step of NEXT_STEPS[incident.status]) {
      // Closing waits for the Art. 73 report: offer the report instead of a button that is refused.
      if (step.status === 'closed' && art73Outstanding(incident)) continue;
      buttons.push({
        label: step.label,
        actionId: INCIDENT_STATUS_ACTION_ID,
        value: encodeValue({ key: incident.key, status: step.status }),
        ...(step.status === 'triaged' ? { style: 'primary' as const } : {}),
      });
    }
  }
  if (art73Outstanding(incident) && mayRecordArt73(viewer, incident)) {
    const label = incident.serious?.initialReportAt ? 'Record complete Art. 73 report' : 'Record Art. 73 report';
    buttons.push({ label, actionId: OPEN_ART73_FORM_ACTION_ID, value: incident.key, style: 'primary' });
  }
  return buttons;
}
