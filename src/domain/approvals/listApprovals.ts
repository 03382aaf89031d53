import { z } from 'zod';
import type { DomainContext } from '../ports';
import { APPROVAL_STATUSES, type Approval } from '../types';
import { parseInput } from '../people/actor';

export const listApprovalsInput = z.object({
  actorId: z.string().min(1).optional(),
  /** Pending approvals the actor may vote on and has not voted on yet. */
  pendingForMe: z.boolean().default(false),
  status: z.enum(APPROVAL_STATUSES).optional(),
  useCaseKey: z.string().trim().toUpperCase().optional(),
});
export type ListApprovalsInput = z.input<typeof listApprovalsInput>;

export async function listApprovals(ctx: DomainContext, raw: ListApprovalsInput = {}): Promise<Approval[]> {
  const input = parseInput(
    listApprovalsInput.refine((v) => !v.pendingForMe || !!v.actorId, { message: 'pendingForMe needs actorId', path: ['pendingForMe'] }),
    raw,
    'approval.invalid_filter',
  );
  if (input.pendingForMe) {
    const me = input.actorId!;
    const open = await ctx.repos.approvals.list({ status: 'pending', approverId: me, ...(input.useCaseKey ? { useCaseKey: input.useCaseKey } : {}) });
    const now = ctx.clock.now().getTime();
    return open.filter((a) => a.expiresAt.getTime() >= now && !a.votes.some((v) => v.personId === me));
  }
  return ctx.repos.approvals.list({
    ...(input.status ? { status: input.status } : {}),
    ...(input.useCaseKey ? { useCaseKey: input.useCaseKey } : {}),
  });
}
