import { z } from 'zod';
import { NotFoundError } from '../errors';
import type { DomainContext } from '../ports';
import type { RaciAssignment } from '../types';
import { parseInput } from '../people/actor';
import { useCaseKey } from '../usecases/getUseCase';
import { loadUseCase } from '../usecases/lifecycle';
import { raciWarnings } from './defaultRaci';

export const getRaciInput = z.object({ useCaseKey, area: z.string().trim().min(1).optional() });
export type GetRaciInput = z.input<typeof getRaciInput>;

export interface RaciView {
  useCaseKey: string;
  assignments: (RaciAssignment & { name: string; warnings: string[] })[];
  /** All warnings, for a summary line. */
  warnings: string[];
}

/** The named RACI of a use case (or one area), with what is wrong with it. */
export async function getRaci(ctx: DomainContext, raw: GetRaciInput): Promise<RaciView> {
  const input = parseInput(getRaciInput, raw, 'raci.invalid');
  const uc = await loadUseCase(ctx, input.useCaseKey);
  const areas = input.area ? uc.raci.filter((r) => r.area === input.area) : uc.raci;
  if (input.area && !areas.length) {
    throw new NotFoundError('raci.unknown_area', `area: ${input.area} is not a RACI area; expected one of ${uc.raci.map((r) => r.area).join(', ')}`);
  }
  const assignments = areas.map((a) => ({
    ...a,
    name: ctx.policy.raci.find((d) => d.id === a.area)?.name ?? a.area,
    warnings: raciWarnings(a, uc.key),
  }));
  return { useCaseKey: uc.key, assignments, warnings: assignments.flatMap((a) => a.warnings) };
}
