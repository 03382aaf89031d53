/** A use case's readiness for `show UC-n`: the legal model's obligations today against its record. */
import { readComplianceHead } from '../../../domain/evidence/complianceHead';
import { readinessOf, type Readiness } from '../../../domain/evidence/readiness';
import { obligationsFor } from '../../../domain/obligations/obligationsFor';
import type { UseCase } from '../../../domain/types';
import type { HandlerDeps } from '../deps';

export async function useCaseReadiness(deps: HandlerDeps, uc: UseCase): Promise<Readiness> {
  const now = deps.ctx.clock.now();
  // The evidence module binds the same legal model; without it, the playbooks' obligations directly.
  const obligations = deps.evidence?.ports.obligationsFor?.(uc, now) ?? obligationsFor(uc, deps.ctx.policy, now);
  const compliance = deps.evidence ? await deps.evidence.ports.compliance.get(uc.key) : await readComplianceHead(deps.ctx, uc.key);
  return readinessOf(uc, obligations, compliance);
}
