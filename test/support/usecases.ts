/**
 * Intake answers for each risk tier against the default playbooks' questionnaire
 * (playbooks/risk.yaml), and a helper to propose a use case with them.
 */
import { proposeUseCase } from '../../src/domain/usecases/proposeUseCase';
import type { DomainContext } from '../../src/domain/ports';
import type { RiskTier, UseCase } from '../../src/domain/types';

/** Every required question answered "no / none": a minimal-risk internal tool. */
export function baseAnswers(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    prohibited_practices: ['none'],
    annex_iii_areas: ['none'],
    safety_component: false,
    art_6_3_exemption: false,
    profiling: false,
    interacts_with_people: false,
    generates_synthetic_content: false,
    emotion_recognition: false,
    biometric_categorisation: false,
    deep_fakes_or_public_text: false,
    data_classes: ['internal'],
    users: 'internal',
    human_in_the_loop: 'every_output',
    ...overrides,
  };
}

export const ANSWERS_FOR: Record<RiskTier, Record<string, unknown>> = {
  minimal: baseAnswers(),
  transparency: baseAnswers({ interacts_with_people: true }),
  high: baseAnswers({ annex_iii_areas: ['employment'], data_classes: ['personal'] }),
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
