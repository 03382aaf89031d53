import { z } from 'zod';
import { ConflictError, ForbiddenError, ValidationError } from '../errors';
import type { DomainContext } from '../ports';
import type { UseCase } from '../types';
import { ADMIN_ROLE, hasRole, parseInput, requireActor } from '../people/actor';
import { validateAnswers } from './answers';
import { classifyRisk } from './classifyRisk';
import { useCaseKey } from './getUseCase';
import { loadUseCase } from './lifecycle';
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
  const uc = await loadUseCase(ctx, input.key);
  if (uc.ownerId !== actor.id && uc.proposerId !== actor.id && !hasRole(actor, ADMIN_ROLE)) {
    throw new ForbiddenError('usecase.edit_forbidden', `Only the owner, the proposer or an AI CoE admin can edit ${uc.key}.`);
  }
  const fields = (['title', 'description', 'models', 'answers'] as const).filter((f) => input[f] !== undefined);
  if (!fields.length) throw new ValidationError('usecase.nothing_to_update', 'Give a title, description, models or answers to change.');
  if (uc.stage === 'retired') throw new ConflictError('usecase.retired', `${uc.key} is retired and can no longer be edited.`);

  const answers = input.answers ? validateAnswers({ ...uc.answers, ...input.answers }, ctx.policy.risk, { requireAll: true }) : uc.answers;
  const risk = classifyRisk(answers, ctx.policy.risk);
  const now = ctx.clock.now();
  const updated: UseCase = {
    ...uc,
    ...(input.title !== undefined ? { title: input.title } : {}),
    ...(input.description !== undefined ? { description: input.description } : {}),
    ...(input.models !== undefined ? { models: [...new Set(input.models)] } : {}),
    answers,
    tier: risk.tier,
    tierReasons: risk.reasons,
    dataClasses: risk.dataClasses,
    requiredControls: requiredControls(ctx.policy.controls, risk.tier, risk.dataClasses),
    updatedAt: now,
  };
  await ctx.repos.useCases.save(updated);
  const tierChanged = updated.tier !== uc.tier;
  await ctx.audit({
    actorId: actor.id,
    action: 'usecase.updated',
    subject: uc.key,
    data: { fields, ...(tierChanged ? { tierFrom: uc.tier, tierTo: updated.tier, tierReasons: updated.tierReasons } : {}) },
  });
  await ctx.events.emit({ type: 'usecase.updated', at: now, actorId: actor.id, useCaseKey: uc.key, fields: [...fields] });
  if (tierChanged) await ctx.events.emit({ type: 'usecase.tier_changed', at: now, actorId: actor.id, useCaseKey: uc.key });
  return updated;
}
