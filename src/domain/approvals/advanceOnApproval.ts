/**
 * The reaction to an approved gate: move the use case to the gate's target stage, once. The
 * move is keyed by its cause (the approval key in the stage history), so the writer, a second
 * process and the reaction sweep can all run it and exactly one move is written. A use case
 * that left the gate's stage meanwhile (suspended by the kill switch) is not moved: the
 * suspension wins.
 */
import type { DomainContext } from '../ports';
import { updateRecord } from '../records/updateRecord';
import { moveStage } from '../usecases/lifecycle';

export async function advanceOnApproval(ctx: DomainContext, approvalKey: string): Promise<void> {
  const approval = await ctx.repos.approvals.get(approvalKey);
  if (!approval || approval.status !== 'approved') return;
  const at = approval.decidedAt ?? ctx.clock.now();
  const by = approval.decidedBy ?? 'system';
  await updateRecord(
    ctx,
    ctx.repos.useCases,
    approval.useCaseKey,
    (uc) => {
      if (uc.stageHistory.some((h) => h.approvalKey === approval.key)) return null;
      if (uc.stage !== approval.fromStage) return null;
      return {
        record: moveStage(uc, approval.toStage, { at, by, approvalKey: approval.key }),
        change: {
          at,
          actorId: by,
          action: 'usecase.stage_changed',
          cause: `approval:${approval.key}`,
          data: { from: approval.fromStage, to: approval.toStage, approvalKey: approval.key },
          events: [{ type: 'usecase.stage_changed', at, actorId: by, useCaseKey: approval.useCaseKey, from: approval.fromStage, to: approval.toStage }],
        },
      };
    },
    () => new Error(`use case ${approval.useCaseKey} of ${approval.key} does not exist`),
  );
}
