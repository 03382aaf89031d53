/**
 * Records the EU database registration (Arts. 49, 71) of a use case: its id and date. Refused
 * where the legal model says no Art. 49 obligation applies; a later entry is a new version.
 */
import { z } from 'zod';
import { parseInput, requireActor } from '../people/actor';
import type { DomainContext } from '../ports';
import { getUseCase, useCaseKey } from '../usecases/getUseCase';
import { ValidationError } from '../errors';
import { requireComplianceOwner } from './complianceAccess';
import { isRegistrationObligation } from './registrationGate';
import { isoDay } from './dates';
import type { EvidencePorts } from './ports';
import type { UseCaseCompliance } from './types';
import { updateCompliance } from './updateCompliance';

export const recordRegistrationInput = z.object({
  actorId: z.string().min(1),
  key: useCaseKey,
  registrationId: z.string().trim().min(1).max(100).regex(/^[\w./-]+$/, 'expected a registration id of letters, digits, dots, slashes and dashes'),
  registeredOn: isoDay,
});
export type RecordRegistrationInput = z.input<typeof recordRegistrationInput>;

export async function recordRegistration(ctx: DomainContext, ports: EvidencePorts, raw: RecordRegistrationInput): Promise<UseCaseCompliance> {
  const input = parseInput(recordRegistrationInput, raw, 'evidence.invalid_registration');
  const actor = await requireActor(ctx, input.actorId);
  const uc = await getUseCase(ctx, { key: input.key });
  requireComplianceOwner(actor, uc, 'its EU database registration', true);
  const now = ctx.clock.now();
  // Art. 49(1)/(2) for providers, Art. 26(8) (Art. 49(3)) for public-authority deployers.
  if (ports.obligationsFor && !ports.obligationsFor(uc, now).some(isRegistrationObligation)) {
    throw new ValidationError('evidence.not_required', `No EU database registration (Art. 49) is owed for ${uc.key} (${uc.tier} risk), so none is recorded for it.`);
  }
  return updateCompliance(ctx, ports, uc.key, (current) => {
    const same = current.registration?.registrationId === input.registrationId && current.registration.registeredOn === input.registeredOn;
    if (same) return null;
    return {
      record: { ...current, registration: { registrationId: input.registrationId, registeredOn: input.registeredOn, by: actor.id, at: now }, updatedAt: now },
      change: { at: now, actorId: actor.id, action: 'compliance.registered', data: { useCaseKey: uc.key, registrationId: input.registrationId, registeredOn: input.registeredOn } },
    };
  });
}
