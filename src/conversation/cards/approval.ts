/**
 * The approval request, built once for every channel. Pending: where the vote stands, what the
 * approver needs to decide (tier and its legal basis, evidence, latest evaluation), expiry, and
 * Approve / Reject buttons for those who may still vote. Decided: the outcome, who decided and
 * why, and no live buttons (a stale card must not invite a vote that would be refused).
 *
 * Each approver gets their own copy, so the card is drawn for a viewer: someone who has voted
 * sees their vote recorded and no buttons, someone who has not still sees the buttons, and a
 * copy in a shared channel (`audience: 'channel'`) offers only "Open", which answers the
 * clicker with their own view.
 */
import type { Policy } from '../../domain/policy';
import type { Approval } from '../../domain/types';
import { APPROVE_ACTION_ID, PAGE_ACTION_ID, REJECT_ACTION_ID, SHOW_APPROVAL_ACTION_ID, SHOW_USE_CASE_ACTION_ID } from '../actions';
import { type ApprovalModel, type ApprovalUseCase, decisionSections, progressLine } from './approvalDetails';
import { APPROVAL_TONES, clip, formatDate, humanise, nameOf, relative, roleName, stageName } from './format';
import type { PeopleIndex } from './format';
import { pageOf } from './model';
import type { Button, Card, Field, Section } from './model';

export interface ApprovalCardInput {
  approval: Approval;
  policy: Policy;
  people: PeopleIndex;
  now: Date;
  useCase?: ApprovalUseCase;
  /** The registry entries of the use case's models (for their latest evaluation). */
  models?: readonly ApprovalModel[];
  /** Whose copy this is: decides the buttons and the footer. Absent: anyone's (buttons while pending). */
  viewerId?: string;
  /** 'channel': a copy in a shared channel, which no single vote changes. */
  audience?: 'person' | 'channel';
}

function votesSection(approval: Approval, policy: Policy, people: PeopleIndex): Section {
  const lines = approval.votes.map((v) => {
    const role = v.role ? ` as ${roleName(policy, v.role)}` : '';
    const reason = v.reason ? `: “${v.reason}”` : '';
    return `${v.decision === 'approve' ? '✓' : '✗'} ${nameOf(people, v.personId)}${role} (${formatDate(v.at)})${reason}`;
  });
  return {
    title: `Votes: ${progressLine(approval, policy)}`,
    text: lines.length ? lines.join('\n') : 'No votes yet.',
  };
}

type ViewerState = 'decided' | 'may_vote' | 'voted' | 'not_an_approver' | 'channel' | 'anyone';

function viewerState(approval: Approval, viewerId: string | undefined, audience: 'person' | 'channel' | undefined): ViewerState {
  if (approval.status !== 'pending') return 'decided';
  if (audience === 'channel') return 'channel';
  if (!viewerId) return 'anyone';
  const vote = approval.votes.find((v) => v.personId === viewerId);
  if (vote) return 'voted';
  return approval.approverIds.includes(viewerId) ? 'may_vote' : 'not_an_approver';
}

function buttonsFor(state: ViewerState, key: string): Button[] {
  if (state === 'may_vote' || state === 'anyone') {
    return [
      { label: 'Approve', actionId: APPROVE_ACTION_ID, value: key, style: 'primary' },
      { label: 'Reject', actionId: REJECT_ACTION_ID, value: key, style: 'danger' },
    ];
  }
  if (state === 'channel') return [{ label: 'Open', actionId: SHOW_APPROVAL_ACTION_ID, value: key }];
  return [];
}

function footer(state: ViewerState, approval: Approval, viewerId: string | undefined): string {
  const created = `Created ${formatDate(approval.createdAt)}.`;
  switch (state) {
    case 'decided':
      return `This request is closed. ${created}`;
    case 'voted': {
      const vote = approval.votes.find((v) => v.personId === viewerId)!;
      return `Your ${vote.decision === 'approve' ? 'approval' : 'rejection'} is recorded; waiting for the others. ${created}`;
    }
    case 'not_an_approver':
      return `You are not asked to vote on this request. ${created}`;
    case 'channel':
      return `Approvers vote in their own copy (or click Open). ${created}`;
    default:
      return `${created} Rejecting asks for a reason.`;
  }
}

export function approvalCard({ approval, policy, people, now, useCase, models = [], viewerId, audience }: ApprovalCardInput): Card {
  const gate = policy.lifecycle.gates.find((g) => g.id === approval.gateId);
  const decided = approval.status !== 'pending';
  const state = viewerState(approval, viewerId, audience);
  const fields: Field[] = [
    { label: 'Use case', value: useCase ? `${useCase.key} · ${useCase.title}` : approval.useCaseKey },
    { label: 'Gate', value: `${gate?.name ?? humanise(approval.gateId)}: ${stageName(policy, approval.fromStage)} → ${stageName(policy, approval.toStage)}` },
    { label: 'Requested by', value: nameOf(people, approval.requesterId) },
    { label: 'Approver roles', value: approval.requiredRoles.map((r) => roleName(policy, r)).join(', ') || '—' },
  ];
  if (decided) {
    fields.push({ label: 'Decided', value: approval.decidedAt ? formatDate(approval.decidedAt) : '—' });
    fields.push({ label: 'Decided by', value: approval.decidedBy ? nameOf(people, approval.decidedBy) : 'Steward' });
  } else {
    fields.push({ label: 'Expires', value: `${formatDate(approval.expiresAt)} (${relative(approval.expiresAt, now)})` });
  }
  const sections: Section[] = [votesSection(approval, policy, people)];
  if (!decided) {
    sections.push(...decisionSections(policy, useCase, models, now));
    if (gate?.exitCriteria.length) sections.push({ title: 'Exit criteria', text: gate.exitCriteria.map((c) => `• ${c}`).join('\n') });
  }
  if (decided && approval.reasons.length) sections.push({ title: 'Reasons', text: approval.reasons.map((r) => `• ${r}`).join('\n') });
  return {
    title: `${approval.key} · ${decided ? humanise(approval.status) : 'Approval requested'}`,
    subtitle: gate?.name,
    badge: { label: humanise(approval.status), tone: APPROVAL_TONES[approval.status] },
    fields,
    sections,
    buttons: buttonsFor(state, approval.key),
    context: footer(state, approval, viewerId),
  };
}

export const APPROVALS_PER_PAGE = 10;

export interface ApprovalListInput {
  approvals: readonly Approval[];
  page: number;
  policy: Policy;
  people: PeopleIndex;
  now: Date;
  title?: string;
  perPage?: number;
}

export function approvalListCard({ approvals, page, policy, people, now, title = 'Approvals waiting for you', perPage = APPROVALS_PER_PAGE }: ApprovalListInput): Card {
  const slice = pageOf(approvals, page, perPage);
  if (approvals.length === 0) return { title, text: 'Nothing is waiting for your vote.' };
  return {
    title: `${title} (${approvals.length})`,
    sections: slice.items.map((a) => ({
      title: `${a.key} · ${a.useCaseKey}: ${stageName(policy, a.fromStage)} → ${stageName(policy, a.toStage)}`,
      badge: { label: humanise(a.status), tone: APPROVAL_TONES[a.status] },
      text: clip(
        `Requested by ${nameOf(people, a.requesterId)} · ${a.votes.filter((v) => v.decision === 'approve').length}/${a.quorum} approvals · ${
          a.status === 'pending' ? `expires ${relative(a.expiresAt, now)}` : humanise(a.status)
        }`,
        300,
      ),
      buttons: [
        { label: 'Open', actionId: SHOW_APPROVAL_ACTION_ID, value: a.key },
        { label: 'Use case', actionId: SHOW_USE_CASE_ACTION_ID, value: a.useCaseKey },
      ],
    })),
    ...(slice.pages > 1 ? { pagination: { page: slice.page, pages: slice.pages, actionId: PAGE_ACTION_ID, value: { list: 'approvals', page: slice.page } } } : {}),
  };
}
