import { extraReviewReason } from '../reviews/extraReview';
import { z } from 'zod';
import { ConflictError, ForbiddenError, ValidationError } from '../errors';
import type { DomainContext } from '../ports';
import type { UseCase } from '../types';
import { ADMIN_ROLE, hasRole, parseInput, requireActor } from '../people/actor';
import { validateAnswers } from './answers';
import { classifyRisk } from './classifyRisk';
import { decideTier } from './decideTier';
import { useCaseKey } from './getUseCase';
import { useCaseNotFound } from './lifecycle';
import { updateRecord } from '../records/updateRecord';
import { modelHandles } from './proposeUseCase';
import { requiredControls } from './requiredControls';

export const updateUseCaseInput = z.object({
  actorId: z.string().min(1),
  key: useCaseKey,
  title: z.string().trim().min(3, 'give a title of at least 3 characters').max(140).optional(),
  description: z.string().trim().max(4000).optional(),
  models: modelHandles.optional(),
  /** Merged over the stored answers; the tier is re-classified from the result. */
  answers: z.record(z.string(), z.unknown()).optional(),
});
export type UpdateUseCaseInput = z.input<typeof updateUseCaseInput>;

/** Edits a use case (owner, proposer or AI CoE admin). Changed answers re-classify the risk tier. */
export async function updateUseCase(ctx: DomainContext, raw: UpdateUseCaseInput): Promise<UseCase> {
  const input = parseInput(updateUseCaseInput, raw, 'usecase.invalid');
  const actor = await requireActor(ctx, input.actorId);
  const fields = (['title', 'description', 'models', 'answers'] as const).filter((f) => input[f] !== undefined);
  const { record } = await updateRecord(ctx, ctx.repos.useCases, input.key, (uc) => {
    if (uc.ownerId !== actor.id && uc.proposerId !== actor.id && !hasRole(actor, ADMIN_ROLE)) {
      throw new ForbiddenError('usecase.edit_forbidden', `Only the owner, the proposer or an AI CoE admin can edit ${uc.key}.`);
    }
    if (!fields.length) throw new ValidationError('usecase.nothing_to_update', 'Give a title, description, models or answers to change.');
    if (uc.stage === 'retired') throw new ConflictError('usecase.retired', `${uc.key} is retired and can no longer be edited.`);

    // Answers merge over the version being written on, so a concurrent edit of other answers is kept.
    const answers = input.answers ? validateAnswers({ ...uc.answers, ...input.answers }, ctx.policy.risk, { requireAll: true }) : uc.answers;
    const risk = classifyRisk(answers, ctx.policy.risk, ctx.policy.regulation);
    const now = ctx.clock.now();
    // Unchanged answers keep the decision; changed ones are decided again, never lowered silently.
    const held = input.answers
      ? decideTier(uc, risk, { by: actor.id, at: now, ...(ctx.policy.risk.version ? { riskVersion: ctx.policy.risk.version } : {}) })
      : { tier: uc.tier, tierReasons: uc.tierReasons, legal: uc.legal };
    const updated: UseCase = {
      ...uc,
      ...(input.title !== undefined ? { title: input.title } : {}),
      ...(input.description !== undefined ? { description: input.description } : {}),
      ...(input.models !== undefined ? { models: [...new Set(input.models)] } : {}),
      answers,
      tier: held.tier,
      tierReasons: held.tierReasons,
      ...(held.legal ? { legal: held.legal } : {}),
      dataClasses: risk.dataClasses,
      requiredControls: requiredControls(ctx.policy.controls, held.tier, risk.dataClasses),
      updatedAt: now,
    };
    const tierChanged = updated.tier !== uc.tier;
    // A live system that changes model or is substantially modified gets an extra review (reviews/extraReview.ts).
    const extraReview = extraReviewReason(uc, updated);
    return {
      record: updated,
      change: {
        at: now,
        actorId: actor.id,
        action: 'usecase.updated',
        data: {
          fields,
          ...(tierChanged ? { tierFrom: uc.tier, tierTo: updated.tier, tierReasons: updated.tierReasons } : {}),
          ...(held.legal?.pending ? { tierPending: held.legal.pending.tier, needs: held.legal.pending.needs } : {}),
          ...(extraReview ? { extraReview } : {}),
        },
        events: [
          { type: 'usecase.updated', at: now, actorId: actor.id, useCaseKey: uc.key, fields: [...fields] },
          ...(tierChanged ? [{ type: 'usecase.tier_changed' as const, at: now, actorId: actor.id, useCaseKey: uc.key }] : []),
        ],
      },
    };
  }, useCaseNotFound(input.key));
  return record;
}
