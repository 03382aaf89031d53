import { z } from 'zod';
import { ForbiddenError, ValidationError } from '../errors';
import type { DomainContext } from '../ports';
import type { UseCase } from '../types';
import { ADMIN_ROLE, hasRole, parseInput, requireActor } from '../people/actor';
import { useCaseKey } from './getUseCase';
import { useCaseNotFound, raciPeople } from './lifecycle';
import { updateRecord } from '../records/updateRecord';

const evidenceUrl = z
  .string()
  .trim()
  .max(2000)
  .refine((v) => {
    try {
      return ['http:', 'https:'].includes(new URL(v).protocol);
    } catch {
      return false;
    }
  }, 'expected an http(s) link to the evidence, such as https://wiki.example.com/threat-model');

export const attachEvidenceInput = z.object({
  actorId: z.string().min(1),
  key: useCaseKey,
  controlId: z.string().trim().toUpperCase().min(1),
  url: evidenceUrl,
  note: z.string().trim().max(1000).optional(),
});
export type AttachEvidenceInput = z.input<typeof attachEvidenceInput>;

/** Links evidence for one required control (owner, proposer, anyone Responsible/Accountable, or admin). */
export async function attachEvidence(ctx: DomainContext, raw: AttachEvidenceInput): Promise<UseCase> {
  const input = parseInput(attachEvidenceInput, raw, 'usecase.invalid_evidence');
  const actor = await requireActor(ctx, input.actorId);
  // Re-decided on every attempt: a concurrent suspension or RACI change is seen before writing.
  const { record } = await updateRecord(ctx, ctx.repos.useCases, input.key, (uc) => {
    const allowed = [uc.ownerId, uc.proposerId, ...raciPeople(uc, ['responsible', 'accountable'])];
    if (!allowed.includes(actor.id) && !hasRole(actor, ADMIN_ROLE)) {
      throw new ForbiddenError('usecase.evidence_forbidden', `Only the owner or people Responsible or Accountable for ${uc.key} can attach evidence.`);
    }
    if (!uc.requiredControls.includes(input.controlId)) {
      throw new ValidationError(
        'usecase.control_not_required',
        `controlId: ${input.controlId} is not required for ${uc.key}; expected one of ${uc.requiredControls.join(', ') || '(none)'}`,
      );
    }
    const now = ctx.clock.now();
    const updated: UseCase = {
      ...uc,
      evidence: [...uc.evidence, { controlId: input.controlId, url: input.url, ...(input.note ? { note: input.note } : {}), by: actor.id, at: now }],
      updatedAt: now,
    };
    return {
      record: updated,
      change: {
        at: now,
        actorId: actor.id,
        action: 'usecase.evidence_attached',
        data: { controlId: input.controlId, url: input.url },
        events: [{ type: 'usecase.evidence_attached', at: now, actorId: actor.id, useCaseKey: uc.key, controlId: input.controlId }],
      },
    };
  }, useCaseNotFound(input.key));
  return record;
}
