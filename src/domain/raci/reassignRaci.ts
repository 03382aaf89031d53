import { z } from 'zod';
import { ForbiddenError, NotFoundError, ValidationError } from '../errors';
import type { DomainContext } from '../ports';
import type { RaciAssignment, UseCase } from '../types';
import { ADMIN_ROLE, hasRole, parseInput, requireActor } from '../people/actor';
import { useCaseKey } from '../usecases/getUseCase';
import { useCaseNotFound } from '../usecases/lifecycle';
import { updateRecord } from '../records/updateRecord';

export const RACI_PARTS = ['responsible', 'accountable', 'consulted', 'informed'] as const;

export const reassignRaciInput = z.object({
  actorId: z.string().min(1),
  useCaseKey,
  area: z.string().trim().min(1),
  part: z.enum(RACI_PARTS),
  /** The complete new list of person ids for that part. */
  personIds: z.array(z.string().min(1)).max(20),
});
export type ReassignRaciInput = z.input<typeof reassignRaciInput>;

/**
 * Replaces who is R, A, C or I for one area. Allowed to the area's current Accountable or an
 * AI CoE admin; the exactly-one-Accountable rule is enforced here, on write.
 */
export async function reassignRaci(ctx: DomainContext, raw: ReassignRaciInput): Promise<UseCase> {
  const input = parseInput(reassignRaciInput, raw, 'raci.invalid');
  const actor = await requireActor(ctx, input.actorId);
  const personIds = [...new Set(input.personIds)];
  if (input.part === 'accountable' && personIds.length !== 1) {
    throw new ValidationError('raci.one_accountable', `Exactly one person must be Accountable for ${input.area}; you gave ${personIds.length}.`);
  }
  for (const id of personIds) {
    if (!(await ctx.repos.people.findById(id))) throw new NotFoundError('person.not_found', `No registered person with id ${id}.`);
  }
  const { record } = await updateRecord(ctx, ctx.repos.useCases, input.useCaseKey, (uc) => {
    const current = uc.raci.find((r) => r.area === input.area);
    if (!current) {
      throw new NotFoundError('raci.unknown_area', `area: ${input.area} is not a RACI area; expected one of ${uc.raci.map((r) => r.area).join(', ')}`);
    }
    if (!current.accountable.includes(actor.id) && !hasRole(actor, ADMIN_ROLE)) {
      throw new ForbiddenError('raci.forbidden', `Only the Accountable for ${input.area} or an AI CoE admin can change its RACI.`);
    }
    const now = ctx.clock.now();
    const next: RaciAssignment = { ...current, [input.part]: personIds };
    return {
      record: { ...uc, raci: uc.raci.map((r) => (r.area === input.area ? next : r)), updatedAt: now },
      change: {
        at: now,
        actorId: actor.id,
        action: 'raci.changed',
        data: { area: input.area, part: input.part, before: current[input.part], after: personIds },
        events: [{ type: 'raci.changed', at: now, actorId: actor.id, useCaseKey: uc.key, area: input.area }],
      },
    };
  }, useCaseNotFound(input.useCaseKey));
  return record;
}
