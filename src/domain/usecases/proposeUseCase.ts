import { z } from 'zod';
import { NotFoundError } from '../errors';
import type { DomainContext } from '../ports';
import type { UseCase } from '../types';
import { parseInput, PRODUCT_MANAGER_ROLE, hasRole, requireActor } from '../people/actor';
import { defaultRaci } from '../raci/defaultRaci';
import { validateAnswers } from './answers';
import { classifyRisk } from './classifyRisk';
import { decideTier } from './decideTier';
import { requiredControls } from './requiredControls';

export const modelHandles = z.array(z.string().trim().toLowerCase().min(1).max(63)).max(20);

export const proposeUseCaseInput = z.object({
  actorId: z.string().min(1),
  title: z.string().trim().min(3, 'give a title of at least 3 characters').max(140),
  description: z.string().trim().max(4000).default(''),
  answers: z.record(z.string(), z.unknown()).default({}),
  models: modelHandles.default([]),
  /** The LLM product manager who will own it; ignored when the proposer is one. */
  ownerId: z.string().min(1).optional(),
});
export type ProposeUseCaseInput = z.input<typeof proposeUseCaseInput>;

/**
 * Records a new use case in ideation with its risk tier, required controls and a staffed RACI.
 * A prohibited use case is stored (the record matters) but can never advance.
 */
export async function proposeUseCase(ctx: DomainContext, raw: ProposeUseCaseInput): Promise<UseCase> {
  const input = parseInput(proposeUseCaseInput, raw, 'usecase.invalid');
  const actor = await requireActor(ctx, input.actorId);
  const answers = validateAnswers(input.answers, ctx.policy.risk, { requireAll: true });
  let ownerId = actor.id;
  if (!hasRole(actor, PRODUCT_MANAGER_ROLE) && input.ownerId) {
    const owner = await ctx.repos.people.findById(input.ownerId);
    if (!owner) throw new NotFoundError('person.not_found', `ownerId: no registered person with id ${input.ownerId}.`);
    ownerId = owner.id;
  }
  const risk = classifyRisk(answers, ctx.policy.risk, ctx.policy.regulation);
  const now = ctx.clock.now();
  const held = decideTier(undefined, risk, { by: actor.id, at: now, ...(ctx.policy.risk.version ? { riskVersion: ctx.policy.risk.version } : {}) });
  const people = await ctx.repos.people.list();
  const { record: useCase, entry } = await ctx.repos.useCases.create(
    {
    title: input.title,
    description: input.description,
    proposerId: actor.id,
    ownerId,
    stage: 'ideation',
    stageEnteredAt: now,
    stageHistory: [{ from: null, to: 'ideation', at: now, by: actor.id }],
    tier: held.tier,
    tierReasons: held.tierReasons,
    legal: held.legal,
    dataClasses: risk.dataClasses,
    answers,
    requiredControls: requiredControls(ctx.policy.controls, held.tier, risk.dataClasses),
    evidence: [],
    raci: defaultRaci(ctx.policy.raci, people, { ownerId, proposerId: actor.id }),
    models: [...new Set(input.models)],
    createdAt: now,
    updatedAt: now,
    },
    (key) => ({
      at: now,
      actorId: actor.id,
      action: 'usecase.proposed',
      data: { title: input.title, tier: held.tier, tierReasons: held.tierReasons, legalBasis: risk.legalBasis, riskVersion: ctx.policy.risk.version ?? null, ownerId, models: [...new Set(input.models)] },
      events: [{ type: 'usecase.proposed', at: now, actorId: actor.id, useCaseKey: key }],
    }),
  );
  await ctx.react(entry);
  return useCase;
}
