/**
 * Records one conformity fact of a high-risk system's provider: the conformity assessment route
 * (Art. 43), the EU declaration of conformity (Art. 47: reference and date signed) or the CE
 * marking (Art. 48: date affixed). Each is refused where the legal model says the article is
 * not owed (deployers, non-high-risk), and a route the Art. 43 text closes to the use case is
 * refused (conformityRouteLimits); a change is a new version of the compliance record, a repeat
 * of what is recorded writes nothing.
 */
import { z } from 'zod';
import { parseInput, requireActor } from '../people/actor';
import type { DomainContext } from '../ports';
import { getUseCase, useCaseKey } from '../usecases/getUseCase';
import { ValidationError } from '../errors';
import { requireComplianceOwner, requireOwed } from './complianceAccess';
import { conformityRouteRefusal } from './conformityRouteLimits';
import { isoDay } from './dates';
import type { EvidencePorts } from './ports';
import { CONFORMITY_ROUTES, type Conformity, type UseCaseCompliance } from './types';
import { updateCompliance } from './updateCompliance';

const base = { actorId: z.string().min(1), key: useCaseKey };
export const recordConformityInput = z.discriminatedUnion('part', [
  z.object({ ...base, part: z.literal('route'), route: z.enum(CONFORMITY_ROUTES, { error: 'expected the route annex-vi (internal control) or annex-vii (notified body)' }) }),
  z.object({ ...base, part: z.literal('declaration'), declarationRef: z.string().trim().min(1, 'expected the declaration reference').max(200), signedOn: isoDay }),
  z.object({ ...base, part: z.literal('ce'), ceMarkedOn: isoDay }),
]);
export type RecordConformityInput = z.input<typeof recordConformityInput>;

const ARTICLE = { route: ['Art. 43', 'conformity assessment route'], declaration: ['Art. 47', 'EU declaration of conformity'], ce: ['Art. 48', 'CE marking'] } as const;

export async function recordConformity(ctx: DomainContext, ports: EvidencePorts, raw: RecordConformityInput): Promise<UseCaseCompliance> {
  const input = parseInput(recordConformityInput, raw, 'evidence.invalid_conformity');
  const actor = await requireActor(ctx, input.actorId);
  const uc = await getUseCase(ctx, { key: input.key });
  const [article, what] = ARTICLE[input.part];
  requireComplianceOwner(actor, uc, `its ${what}`, true);
  const now = ctx.clock.now();
  requireOwed(ports, uc, now, article, what);
  if (input.part === 'route') {
    const refusal = conformityRouteRefusal(uc, ctx.policy, input.route);
    if (refusal) throw new ValidationError('evidence.route_not_open', refusal);
  }
  const facts: Partial<Conformity> =
    input.part === 'route' ? { route: input.route } : input.part === 'declaration' ? { declarationRef: input.declarationRef, declarationSignedOn: input.signedOn } : { ceMarkedOn: input.ceMarkedOn };
  return updateCompliance(ctx, ports, uc.key, (current) => {
    const before = current.conformity;
    if (before && Object.entries(facts).every(([k, v]) => before[k as keyof Conformity] === v)) return null;
    return {
      record: { ...current, conformity: { ...before, ...facts, by: actor.id, at: now }, updatedAt: now },
      change: { at: now, actorId: actor.id, action: `compliance.conformity_${input.part}`, data: { useCaseKey: uc.key, ...facts } },
    };
  });
}
