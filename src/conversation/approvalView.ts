/**
 * Reads what an approval card shows besides the approval (its use case, the use case's models,
 * people's names) once, and draws the card for any number of viewers: one read per refresh,
 * not one per approver's copy.
 */
import type { DomainContext } from '../domain/ports';
import type { Approval } from '../domain/types';
import { approvalCard, type ApprovalCardInput } from './cards/approval';
import type { ApprovalModel } from './cards/approvalDetails';
import { indexPeople } from './cards/format';
import type { Card } from './cards/model';

type Ctx = Pick<DomainContext, 'repos' | 'policy' | 'clock'>;

export type ApprovalViewer = Pick<ApprovalCardInput, 'viewerId' | 'audience'>;

/** Draws the approval's card for a viewer. */
export type ApprovalView = (viewer?: ApprovalViewer) => Card;

export async function loadApprovalView(ctx: Ctx, approval: Approval): Promise<ApprovalView> {
  const [useCase, people] = await Promise.all([ctx.repos.useCases.get(approval.useCaseKey), ctx.repos.people.list()]);
  const models = (await Promise.all((useCase?.models ?? []).map((name) => ctx.repos.models.get(name)))).filter((m): m is NonNullable<typeof m> => m !== null);
  const base = {
    approval,
    policy: ctx.policy,
    people: indexPeople(people),
    now: ctx.clock.now(),
    models: models as ApprovalModel[],
    ...(useCase ? { useCase } : {}),
  };
  return (viewer = {}) => approvalCard({ ...base, ...viewer });
}

/** The person an approver's copy was sent to, from its delivery key `approval.requested:APR-3:<personId>`. */
export function copyViewer(copyKey: string, approvalKey: string): string | undefined {
  const prefix = `approval.requested:${approvalKey}:`;
  return copyKey.startsWith(prefix) ? copyKey.slice(prefix.length) : undefined;
}

/**
 * How a stored copy is drawn: an approver's request for that approver; any other copy (the
 * governance channel's post, a decision notice) for no single person, so never with vote buttons.
 */
export function copyAudience(copyKey: string, approvalKey: string): ApprovalViewer {
  const viewerId = copyViewer(copyKey, approvalKey);
  return viewerId ? { viewerId } : { audience: 'channel' };
}
