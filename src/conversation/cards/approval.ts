/**
 * The approval request, built once for every channel. Pending: votes so far, expiry, and the
 * Approve / Reject buttons. Decided: the outcome, who decided and why, and no live buttons
 * (a stale card must not invite a vote that would be refused).
 */
import type { Policy } from '../../domain/policy';
import type { Approval, UseCase } from '../../domain/types';
import { APPROVE_ACTION_ID, PAGE_ACTION_ID, REJECT_ACTION_ID, SHOW_APPROVAL_ACTION_ID, SHOW_USE_CASE_ACTION_ID } from '../actions';
import { APPROVAL_TONES, clip, formatDate, humanise, nameOf, relative, roleName, stageName } from './format';
import type { PeopleIndex } from './format';
import { pageOf } from './model';
import type { Card, Field, Section } from './model';

export interface ApprovalCardInput {
  approval: Approval;
  policy: Policy;
  people: PeopleIndex;
  now: Date;
  useCase?: Pick<UseCase, 'key' | 'title'>;
}

function votesSection(approval: Approval, policy: Policy, people: PeopleIndex): Section {
  const approvals = approval.votes.filter((v) => v.decision === 'approve').length;
  const lines = approval.votes.map((v) => {
    const role = v.role ? ` as ${roleName(policy, v.role)}` : '';
    const reason = v.reason ? `: “${v.reason}”` : '';
    return `${v.decision === 'approve' ? '✓' : '✗'} ${nameOf(people, v.personId)}${role} (${formatDate(v.at)})${reason}`;
  });
  return {
    title: `Votes: ${approvals} of ${approval.quorum} approvals needed`,
    text: lines.length ? lines.join('\n') : 'No votes yet.',
  };
}

export function approvalCard({ approval, policy, people, now, useCase }: ApprovalCardInput): Card {
  const gate = policy.lifecycle.gates.find((g) => g.id === approval.gateId);
  const decided = approval.status !== 'pending';
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
  const sections: Section[] = [];
  if (!decided && gate?.exitCriteria.length) sections.push({ title: 'Exit criteria', text: gate.exitCriteria.map((c) => `• ${c}`).join('\n') });
  sections.push(votesSection(approval, policy, people));
  if (decided && approval.reasons.length) sections.push({ title: 'Reasons', text: approval.reasons.map((r) => `• ${r}`).join('\n') });
  return {
    title: `${approval.key} · ${decided ? humanise(approval.status) : 'Approval requested'}`,
    subtitle: gate?.name,
    badge: { label: humanise(approval.status), tone: APPROVAL_TONES[approval.status] },
    fields,
    sections,
    buttons: decided
      ? []
      : [
          { label: 'Approve', actionId: APPROVE_ACTION_ID, value: approval.key, style: 'primary' },
          { label: 'Reject', actionId: REJECT_ACTION_ID, value: approval.key, style: 'danger' },
        ],
    context: decided ? `This request is closed. Created ${formatDate(approval.createdAt)}.` : `Created ${formatDate(approval.createdAt)}. Rejecting asks for a reason.`,
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
