import { z } from 'zod';
import type { DomainContext } from '../ports';
import { ALL_STAGES, RISK_TIERS, type UseCase } from '../types';
import { parseInput } from '../people/actor';

export const listUseCasesInput = z.object({
  actorId: z.string().min(1).optional(),
  /** Only use cases the actor proposed, owns or is named in. */
  mine: z.boolean().default(false),
  stage: z.enum(ALL_STAGES).optional(),
  tier: z.enum(RISK_TIERS).optional(),
  text: z.string().trim().min(1).max(200).optional(),
});
export type ListUseCasesInput = z.input<typeof listUseCasesInput>;

export async function listUseCases(ctx: DomainContext, raw: ListUseCasesInput = {}): Promise<UseCase[]> {
  const input = parseInput(
    listUseCasesInput.refine((v) => !v.mine || !!v.actorId, { message: 'mine needs actorId', path: ['mine'] }),
    raw,
    'usecase.invalid_filter',
  );
  return ctx.repos.useCases.list({
    ...(input.mine && input.actorId ? { personId: input.actorId } : {}),
    ...(input.stage ? { stage: input.stage } : {}),
    ...(input.tier ? { tier: input.tier } : {}),
    ...(input.text ? { text: input.text } : {}),
  });
}
