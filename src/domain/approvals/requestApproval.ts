import { ConflictError } from '../errors';
import type { GateDef } from '../policy';
import type { DomainContext } from '../ports';
import type { Approval, Person, UseCase } from '../types';
import { closeApproval } from './closeApproval';
import { createRecord } from '../records/updateRecord';

const DAY_MS = 86_400_000;

export interface RequestApprovalInput {
  useCase: UseCase;
  gate: GateDef;
  requester: Person;
}

/**
 * Opens the approval for a gate (internal: requestAdvance calls it after its own checks).
 * Approvers are the people holding a required role for the use case's tier, never the
 * requester. A request nobody could ever approve is refused up front rather than left to expire.
 */
export async function requestApproval(ctx: DomainContext, input: RequestApprovalInput): Promise<Approval> {
  const { useCase, gate, requester } = input;
  const rule = gate.approvers[useCase.tier];
  const roles = [...new Set(rule?.roles ?? [])];
  const quorum = Math.min(rule?.quorum ?? roles.length, roles.length);
  const holders = new Map<string, Person[]>();
  for (const role of roles) {
    holders.set(role, (await ctx.repos.people.findByRole(role)).filter((p) => p.id !== requester.id));
  }
  const approverIds = [...new Set([...holders.values()].flat().map((p) => p.id))];
  const mustInclude = (rule?.mustInclude ?? []).filter((r) => roles.includes(r));
  // Every role must be covered when all must approve; otherwise at least the must-include ones.
  const uncovered = roles.filter((r) => (quorum === roles.length || mustInclude.includes(r)) && !holders.get(r)?.length);
  if (uncovered.length || approverIds.length < quorum) {
    throw new ConflictError(
      'approval.no_approvers',
      `Nobody but you can approve ${gate.name} for ${useCase.key}: no one else holds ${uncovered.join(', ') || roles.join(', ')}. Ask an AI CoE admin to assign the role.`,
      { roles: uncovered },
    );
  }
  const now = ctx.clock.now();
  const approval = await createRecord(ctx, () =>
    ctx.repos.approvals.create(
      {
    useCaseKey: useCase.key,
    gateId: gate.id,
    fromStage: useCase.stage,
    toStage: gate.to,
    requesterId: requester.id,
    requiredRoles: roles,
    quorum,
    ...(mustInclude.length ? { mustInclude } : {}),
    approverIds,
    status: 'pending',
    reasons: [],
    expiresAt: new Date(now.getTime() + gate.expiresAfterDays * DAY_MS),
    createdAt: now,
      },
      (key) => ({
        at: now,
        actorId: requester.id,
        action: 'approval.requested',
        data: { useCaseKey: useCase.key, gateId: gate.id, from: useCase.stage, to: gate.to, roles, quorum, mustInclude, approverIds },
        events: [{ type: 'approval.requested', at: now, actorId: requester.id, approvalKey: key, useCaseKey: useCase.key, approverIds: [...approverIds], requesterId: requester.id }],
      }),
    ),
  );
  // A tier whose rule names no roles needs no sign-off: the gate opens at once, still on the record.
  if (roles.length === 0) {
    return (await closeApproval(ctx, approval, { status: 'approved', by: requester.id, reasons: [`no approval required for tier ${useCase.tier}`] })) ?? approval;
  }
  return approval;
}
