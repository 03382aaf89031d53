/** An AI CoE admin decides whether an Annex A control applies, and why: a new version of the SoA record. */
import { z } from 'zod';
import { ForbiddenError, NotFoundError } from '../errors';
import { ADMIN_ROLE, hasRole, parseInput, requireActor } from '../people/actor';
import type { DomainContext } from '../ports';
import { updateRecord } from '../records/updateRecord';
import type { EvidencePorts } from './ports';
import { isoControls } from './soa';
import { SOA_STATUSES, type SoaRecord } from './types';

export const setSoaControlInput = z.object({
  actorId: z.string().min(1),
  controlId: z.string().trim().toUpperCase(),
  applicable: z.boolean(),
  justification: z.string().trim().min(3, 'a justification is required').max(1000),
  status: z.enum(SOA_STATUSES).optional(),
});
export type SetSoaControlInput = z.input<typeof setSoaControlInput>;

export async function setSoaControl(ctx: DomainContext, ports: EvidencePorts, raw: SetSoaControlInput): Promise<SoaRecord> {
  const input = parseInput(setSoaControlInput, raw, 'evidence.invalid_soa');
  const actor = await requireActor(ctx, input.actorId);
  if (!hasRole(actor, ADMIN_ROLE)) throw new ForbiddenError('evidence.soa_forbidden', 'Only an AI CoE admin can edit the Statement of Applicability.');
  if (!isoControls().some((c) => c.id === input.controlId)) {
    throw new NotFoundError('evidence.soa_unknown_control', `${input.controlId} is not an ISO/IEC 42001 Annex A control (A.2.2 to A.10.4).`);
  }
  const store = {
    get: async (): Promise<SoaRecord> => (await ports.soa.get('SOA')) ?? { rev: 0, key: 'SOA', overrides: [], updatedAt: ctx.clock.now() },
    save: ports.soa.save.bind(ports.soa),
  };
  const now = ctx.clock.now();
  const { record } = await updateRecord(ctx, store, 'SOA', (current) => ({
    record: {
      ...current,
      overrides: [
        ...current.overrides.filter((o) => o.controlId !== input.controlId),
        { controlId: input.controlId, applicable: input.applicable, justification: input.justification, ...(input.status ? { status: input.status } : {}), by: actor.id, at: now },
      ].sort((a, b) => a.controlId.localeCompare(b.controlId, 'en', { numeric: true })),
      updatedAt: now,
    },
    change: { at: now, actorId: actor.id, action: 'soa.control_set', data: { controlId: input.controlId, applicable: input.applicable } },
  }));
  return record;
}
