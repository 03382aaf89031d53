/**
 * Domain event -> the messages it causes, with deterministic keys (the same event handled twice,
 * by two processes or after a retry, queues each message once). Cards come from the
 * conversation layer's builders, so a notification looks like the reply a person would get.
 */
import { loadApprovalView } from '../conversation/approvalView';
import { indexPeople } from '../conversation/cards/format';
import { incidentCard } from '../conversation/cards/incident';
import { modelCard } from '../conversation/cards/models';
import { evalFailedMessages, evalPassedMessages } from './evalMessages';
import type { DomainEvent, EventOf } from '../domain/events';
import type { DomainContext, OutboundMessage } from '../domain/ports';
import { formatUtc } from '../domain/schedules/dates';
import { LEGAL_ROLE, unique } from '../domain/schedules/recipients';

type Ctx = Pick<DomainContext, 'repos' | 'policy' | 'clock'>;

const peopleIndex = async (ctx: Ctx) => indexPeople(await ctx.repos.people.list());

/** Key of the incident's post in the incidents channel: later posts thread under it. */
export const incidentChannelKey = (incidentKey: string): string => `incident.reported:${incidentKey}:channel`;

/** Key of the approval's post in the governance channel: its decision threads under it. */
export const approvalGovernanceKey = (approvalKey: string): string => `approval.requested:${approvalKey}:governance`;

/**
 * Each approver gets their own copy (drawn for them: src/notifications/approvalCopies.ts keeps
 * it right after every vote), and the governance channel a copy for everyone, where configured.
 */
async function approvalRequested(ctx: Ctx, e: EventOf<'approval.requested'>): Promise<OutboundMessage[]> {
  const approval = await ctx.repos.approvals.get(e.approvalKey);
  if (!approval) return [];
  const view = await loadApprovalView(ctx, approval);
  const text = `${approval.key}: your approval is requested for ${e.useCaseKey} (${approval.fromStage} → ${approval.toStage}).`;
  return [
    ...unique(e.approverIds).map((personId) => ({ key: `approval.requested:${approval.key}:${personId}`, to: { personId }, card: view({ viewerId: personId }), text })),
    {
      key: approvalGovernanceKey(approval.key),
      to: { channel: 'governance' as const },
      card: view({ audience: 'channel' }),
      text: `${approval.key}: approval requested for ${e.useCaseKey} (${approval.fromStage} → ${approval.toStage}).`,
      ifConfigured: true,
    },
  ];
}

/** The requester and those informed are told; the governance channel gets it in the request's thread. */
async function approvalDecided(ctx: Ctx, e: EventOf<'approval.decided'>): Promise<OutboundMessage[]> {
  const approval = await ctx.repos.approvals.get(e.approvalKey);
  if (!approval) return [];
  const card = (await loadApprovalView(ctx, approval))({ audience: 'channel' });
  const text = `${approval.key} for ${e.useCaseKey} was ${e.status}.`;
  return [
    ...unique([e.requesterId, ...e.informedIds]).map((personId) => ({ key: `approval.decided:${approval.key}:${personId}`, to: { personId }, card, text })),
    { key: `approval.decided:${approval.key}:governance`, to: { channel: 'governance' as const }, card, text, threadKey: approvalGovernanceKey(approval.key), ifConfigured: true },
  ];
}

async function incidentReported(ctx: Ctx, e: EventOf<'incident.reported'>): Promise<OutboundMessage[]> {
  const incident = await ctx.repos.incidents.get(e.incidentKey);
  if (!incident) return [];
  const card = incidentCard({ incident, policy: ctx.policy, people: await peopleIndex(ctx), now: ctx.clock.now() });
  const text = `${incident.key} reported (${incident.severity}): ${incident.title}`;
  return [
    { key: incidentChannelKey(incident.key), to: { channel: 'incidents' }, card, text },
    { key: `incident.reported:${incident.key}:${incident.ownerId}`, to: { personId: incident.ownerId }, card, text: `${text}. You are its owner.` },
  ];
}

async function seriousFlagged(ctx: Ctx, e: EventOf<'incident.serious_flagged'>): Promise<OutboundMessage[]> {
  const incident = await ctx.repos.incidents.get(e.incidentKey);
  if (!incident) return [];
  const card = incidentCard({ incident, policy: ctx.policy, people: await peopleIndex(ctx), now: ctx.clock.now() });
  const text = `${incident.key} is a serious incident: the Art. 73 report is due ${formatUtc(e.deadline)}.`;
  const legal = (await ctx.repos.people.findByRole(LEGAL_ROLE)).map((p) => p.id);
  return [
    ...unique([incident.ownerId, ...legal]).map((personId) => ({
      // The deadline is in the key: a re-flag with a shorter deadline is news, not a duplicate.
      key: `incident.serious_flagged:${incident.key}:${e.deadline.getTime()}:${personId}`,
      to: { personId },
      card,
      text,
    })),
    { key: `incident.serious_flagged:${incident.key}:${e.deadline.getTime()}:channel`, to: { channel: 'incidents' as const }, card, text, threadKey: incidentChannelKey(incident.key) },
  ];
}

/** Each new timeline entry (status change, note, kill switch …) goes into the incident's thread. */
async function incidentUpdated(ctx: Ctx, e: EventOf<'incident.updated'>): Promise<OutboundMessage[]> {
  const incident = await ctx.repos.incidents.get(e.incidentKey);
  const entry = incident?.timeline[incident.timeline.length - 1];
  if (!incident || !entry) return [];
  const people = await peopleIndex(ctx);
  const who = people.get(entry.by)?.name ?? entry.by;
  const text = `${incident.key} · ${incident.status}: ${entry.text} (${who})`;
  return [
    {
      // One message per timeline entry: the entry count makes the key, so a replay adds nothing.
      key: `incident.updated:${incident.key}:${incident.timeline.length}`,
      to: { channel: 'incidents' },
      card: { title: `${incident.key} · ${incident.status}`, text: `${entry.text}\n— ${who}` },
      text,
      threadKey: incidentChannelKey(incident.key),
    },
  ];
}

async function modelStatusChanged(ctx: Ctx, e: EventOf<'model.status_changed'>): Promise<OutboundMessage[]> {
  if (e.status !== 'restricted') return [];
  const model = await ctx.repos.models.get(e.modelName);
  if (!model) return [];
  const card = modelCard({ model, policy: ctx.policy, people: await peopleIndex(ctx) });
  const reason = model.statusReason ? `: ${model.statusReason}` : '';
  const text = `Model ${model.name} is now restricted${reason}.`;
  return [{ key: `model.restricted:${model.name}:${e.at.getTime()}:${model.ownerId}`, to: { personId: model.ownerId }, card, text }];
}

/** The messages an event causes (none for events nobody is told about). */
export async function messagesForEvent(ctx: Ctx, event: DomainEvent): Promise<OutboundMessage[]> {
  switch (event.type) {
    case 'approval.requested':
      return approvalRequested(ctx, event);
    case 'approval.decided':
      return approvalDecided(ctx, event);
    case 'incident.reported':
      return incidentReported(ctx, event);
    case 'incident.serious_flagged':
      return seriousFlagged(ctx, event);
    case 'incident.updated':
      return incidentUpdated(ctx, event);
    case 'model.status_changed':
      return modelStatusChanged(ctx, event);
    case 'eval.passed':
      return evalPassedMessages(event);
    case 'eval.failed':
      return evalFailedMessages(event);
    default:
      return [];
  }
}
