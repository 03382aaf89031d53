/**
 * Intake answers for each risk tier against the default playbooks' questionnaire
 * (playbooks/risk.yaml), and a helper to propose a use case with them.
 */
import { baselineAnswers, noDerogation } from '../../src/app/seedDemo';
import { proposeUseCase } from '../../src/domain/usecases/proposeUseCase';
import type { DomainContext } from '../../src/domain/ports';
import type { RiskTier, UseCase } from '../../src/domain/types';

/** Every required question answered "no / none": a minimal-risk internal tool. */
/** Every required question answered "no / none": a minimal-risk internal tool (the demo's baseline). */
export const baseAnswers = baselineAnswers;
export { noDerogation };

export const ANSWERS_FOR: Record<RiskTier, Record<string, unknown>> = {
  minimal: baseAnswers(),
  transparency: baseAnswers({ interacts_with_people: true, interaction_obvious: false }),
  high: baseAnswers({ annex_iii_areas: ['employment_recruitment'], ...noDerogation, data_classes: ['personal'] }),
  prohibited: baseAnswers({ prohibited_practices: ['social_scoring'] }),
};

export async function proposeTestUseCase(
  ctx: DomainContext,
  actorId: string,
  tier: RiskTier = 'minimal',
  extra: { title?: string; models?: string[]; ownerId?: string } = {},
): Promise<UseCase> {
  return proposeUseCase(ctx, {
    actorId,
    title: extra.title ?? `A ${tier} use case`,
    description: `Test use case of tier ${tier}`,
    answers: ANSWERS_FOR[tier],
    ...(extra.models ? { models: extra.models } : {}),
    ...(extra.ownerId ? { ownerId: extra.ownerId } : {}),
  });
}
