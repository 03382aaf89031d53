/** The incident card (severity, owner, the Art. 73 clock, kill switch, timeline) and the list. */
import type { Policy } from '../../domain/policy';
import type { Incident, Person } from '../../domain/types';
import { KILL_SWITCH_ACTION_ID, OPEN_INCIDENT_ACTION_ID, PAGE_ACTION_ID, SHOW_INCIDENT_ACTION_ID, SHOW_USE_CASE_ACTION_ID } from '../actions';
import { clip, formatDate, formatDuration, humanise, nameOf, relative, SEVERITY_TONES } from './format';
import type { PeopleIndex } from './format';
import { incidentLifecycleButtons } from './incidentButtons';
import { pageOf } from './model';
import type { Button, Card, Field, Section } from './model';

export const TIMELINE_ENTRIES_SHOWN = 10;

export interface IncidentCardInput {
  incident: Incident;
  policy: Policy;
  people: PeopleIndex;
  now: Date;
  /** Who will see the card: lifecycle buttons only for what they may do. Absent: all of them. */
  viewer?: Person;
  /** The organisation deploys the use case concerned (Art. 26(5): inform the provider first). */
  deployer?: boolean;
}

/** Art. 73(6), shown until the authority has been informed. */
export const ART73_6_WARNING =
  'Art. 73(6): do not alter the AI system in a way that could affect the investigation of the causes before informing the authority.';

/** The serious-incident reporting clock, in words; the deadline itself is computed by the domain. */
export function seriousClock(incident: Incident, policy: Policy, now: Date, deployer = false): Section | undefined {
  const serious = incident.serious;
  if (!serious) return undefined;
  const days = policy.incidents.serious.deadlinesDays[serious.basis];
  const basis = `${humanise(serious.basis)} (${days} days from awareness, EU AI Act Art. 73)`;
  const aware = `Aware since ${formatDate(serious.awareAt)}${serious.awareSource === 'first_report' ? ' (the first report: no date was given)' : serious.awareSource === 'corrected' ? ' (corrected by AI Governance & Legal)' : ''}.`;
  const provider = deployer
    ? serious.providerInformedAt
      ? `Provider informed ${formatDate(serious.providerInformedAt)} (Art. 26(5)).`
      : `Art. 26(5): as deployer, inform the provider first, then record it: incident ${incident.key} provider informed [note].`
    : '';
  if (serious.reportSubmittedAt) {
    return {
      title: 'Serious incident report',
      badge: { label: 'Reported', tone: 'good' },
      text: [
        serious.initialReportAt ? `Initial report ${formatDate(serious.initialReportAt)}${serious.initialReportRef ? ` (ref ${serious.initialReportRef})` : ''}.` : '',
        `${serious.initialReportAt ? 'Complete report' : 'Submitted'} ${formatDate(serious.reportSubmittedAt)}${serious.reportRef ? ` (ref ${serious.reportRef})` : ''}.`,
        `Basis: ${basis}`,
        deployer && serious.providerInformedAt ? provider : '',
      ].filter(Boolean).join('\n'),
    };
  }
  if (serious.initialReportAt) {
    return {
      title: 'Serious incident report',
      badge: { label: 'Complete report due', tone: 'warning' },
      text: [
        `Initial report ${formatDate(serious.initialReportAt)}${serious.initialReportRef ? ` (ref ${serious.initialReportRef})` : ''}; the complete report is still outstanding (Art. 73(5)): incident ${incident.key} report complete <reference>.`,
        `${aware} Basis: ${basis}`,
        provider,
      ].filter(Boolean).join('\n'),
    };
  }
  const left = serious.deadline.getTime() - now.getTime();
  const overdue = left < 0;
  return {
    title: 'Serious incident report',
    badge: { label: overdue ? 'Overdue' : `Due in ${formatDuration(left)}`, tone: overdue || left < 48 * 3_600_000 ? 'danger' : 'warning' },
    text: [
      `${overdue ? `Overdue by ${formatDuration(-left)}` : `Report due in ${formatDuration(left)}`}: deadline ${formatDate(serious.deadline)}. Report immediately; an initial, incomplete report may come first (Art. 73(5)).`,
      `${aware} Basis: ${basis}`,
      provider,
      ART73_6_WARNING,
    ].filter(Boolean).join('\n'),
  };
}

export function incidentCard({ incident, policy, people, now, viewer, deployer }: IncidentCardInput): Card {
  const category = policy.incidents.categories.find((c) => c.id === incident.category);
  const severity = policy.incidents.severities.find((s) => s.id === incident.severity);
  const fields: Field[] = [
    { label: 'Status', value: humanise(incident.status) },
    { label: 'Owner', value: nameOf(people, incident.ownerId) },
    { label: 'Category', value: category ? `${category.name}${category.owaspLlm.length ? ` (${category.owaspLlm.join(', ')})` : ''}` : humanise(incident.category) },
    { label: 'Reported by', value: `${nameOf(people, incident.reporterId)}, ${relative(incident.createdAt, now)}` },
    { label: 'Kill switch', value: incident.killSwitch ? 'ON: the use case is stopped' : 'off' },
  ];
  if (incident.useCaseKey) fields.push({ label: 'Use case', value: incident.useCaseKey });
  if (incident.modelName) fields.push({ label: 'Model', value: incident.modelName });
  if (incident.redactions.length) fields.push({ label: 'Redacted', value: incident.redactions.join(', ') });

  const sections: Section[] = [];
  const clock = seriousClock(incident, policy, now, deployer);
  if (clock) sections.push(clock);
  const shown = incident.timeline.slice(-TIMELINE_ENTRIES_SHOWN);
  const earlier = incident.timeline.length - shown.length;
  sections.push({
    title: 'Timeline',
    text: [earlier > 0 ? `(${earlier} earlier entries)` : '', ...shown.map((t) => `${formatDate(t.at)} · ${nameOf(people, t.by)}: ${t.text}`)].filter(Boolean).join('\n') || 'Nothing yet.',
  });

  const buttons: Button[] = incidentLifecycleButtons(incident, viewer);
  if (!incident.killSwitch && incident.useCaseKey && incident.status !== 'closed') {
    buttons.push({ label: 'Pull kill switch', actionId: KILL_SWITCH_ACTION_ID, value: incident.key, style: 'danger' });
  }
  if (incident.useCaseKey) buttons.push({ label: 'Open use case', actionId: SHOW_USE_CASE_ACTION_ID, value: incident.useCaseKey });

  return {
    title: `${incident.key} · ${incident.title}`,
    subtitle: severity ? `${severity.name}: acknowledge within ${severity.acknowledgeWithinMinutes} min, resolve within ${severity.resolveWithinHours} h` : undefined,
    badge: { label: incident.severity.toUpperCase(), tone: SEVERITY_TONES[incident.severity] },
    text: incident.description,
    fields,
    sections,
    buttons,
    context: `Updated ${formatDate(incident.updatedAt)}`,
  };
}

export const INCIDENTS_PER_PAGE = 10;

export interface IncidentListInput {
  incidents: readonly Incident[];
  page: number;
  people: PeopleIndex;
  now: Date;
  openOnly: boolean;
  perPage?: number;
}

export function incidentListCard({ incidents, page, people, now, openOnly, perPage = INCIDENTS_PER_PAGE }: IncidentListInput): Card {
  const title = openOnly ? 'Open incidents' : 'Incidents';
  if (incidents.length === 0) {
    return { title, text: openOnly ? 'No open incidents.' : 'No incidents reported.', buttons: [{ label: 'Report an incident', actionId: OPEN_INCIDENT_ACTION_ID, value: '' }] };
  }
  const slice = pageOf(incidents, page, perPage);
  return {
    title: `${title} (${incidents.length})`,
    sections: slice.items.map((i) => ({
      title: `${i.key} · ${clip(i.title, 120)}`,
      badge: { label: i.severity.toUpperCase(), tone: SEVERITY_TONES[i.severity] },
      text: [
        humanise(i.status),
        `owner ${nameOf(people, i.ownerId)}`,
        i.useCaseKey ?? '',
        i.serious && !i.serious.reportSubmittedAt ? `Art. 73 report due ${relative(i.serious.deadline, now)}` : '',
        i.killSwitch ? 'kill switch ON' : '',
      ]
        .filter(Boolean)
        .join(' · '),
      buttons: [{ label: 'Open', actionId: SHOW_INCIDENT_ACTION_ID, value: i.key }],
    })),
    ...(slice.pages > 1
      ? { pagination: { page: slice.page, pages: slice.pages, actionId: PAGE_ACTION_ID, value: { list: 'incidents', page: slice.page, ...(openOnly ? { filter: 'open' } : {}) } } }
      : {}),
  };
}
