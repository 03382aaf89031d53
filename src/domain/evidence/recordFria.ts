/**
 * Records a version of the Art. 27 fundamental rights impact assessment: elements (a)–(f) as
 * the deployer's Accountable wrote them, and, once sent, the Art. 27(3) notification. Each
 * submission is a new version of the compliance record; earlier ones stay in its history.
 */
import { z } from 'zod';
import { parseInput, requireActor } from '../people/actor';
import type { DomainContext } from '../ports';
import { getUseCase, useCaseKey } from '../usecases/getUseCase';
import { isoDay } from './dates';
import { requireComplianceOwner, requireOwed } from './complianceAccess';
import type { EvidencePorts } from './ports';
import { FRIA_ELEMENT_IDS, type FriaElementId, type UseCaseCompliance } from './types';
import { updateCompliance } from './updateCompliance';

const element = (id: FriaElementId) =>
  z.string({ error: `(${id}): required` }).trim().min(3, `(${id}): describe it in a few words at least`).max(4000, `(${id}): at most 4000 characters`);

export const recordFriaInput = z.object({
  actorId: z.string().min(1),
  key: useCaseKey,
  elements: z.object(Object.fromEntries(FRIA_ELEMENT_IDS.map((id) => [id, element(id)])) as Record<FriaElementId, ReturnType<typeof element>>),
  notifiedOn: isoDay.optional(),
  notificationRef: z.string().trim().max(200).optional(),
});
export type RecordFriaInput = z.input<typeof recordFriaInput>;

export async function recordFria(ctx: DomainContext, ports: EvidencePorts, raw: RecordFriaInput): Promise<UseCaseCompliance> {
  const input = parseInput(recordFriaInput, raw, 'evidence.invalid_fria');
  const actor = await requireActor(ctx, input.actorId);
  const uc = await getUseCase(ctx, { key: input.key });
  requireComplianceOwner(actor, uc, 'its fundamental rights impact assessment');
  const now = ctx.clock.now();
  requireOwed(ports, uc, now, 'Art. 27', 'fundamental rights impact assessment');
  return updateCompliance(ctx, ports, uc.key, (current) => ({
    record: {
      ...current,
      fria: {
        elements: input.elements as Record<FriaElementId, string>,
        by: actor.id,
        at: now,
        ...(input.notifiedOn ? { notifiedAt: new Date(`${input.notifiedOn}T00:00:00Z`) } : {}),
        ...(input.notificationRef ? { notificationRef: input.notificationRef } : {}),
      },
      updatedAt: now,
    },
    change: {
      at: now,
      actorId: actor.id,
      action: current.fria ? 'compliance.fria_updated' : 'compliance.fria_recorded',
      data: { useCaseKey: uc.key, ...(input.notifiedOn ? { notifiedOn: input.notifiedOn } : {}) },
    },
  }));
}
