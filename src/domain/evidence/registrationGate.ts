/**
 * The production gate's registration check: a high-risk system is registered in the EU database
 * before it is placed on the market or put into service (Art. 49(1), (3) via Art. 26(8); the
 * database is Art. 71). Where the legal model says such an obligation applies today and the
 * compliance record holds no registration, a request to go to production is refused.
 */
import { ForbiddenError } from '../errors';
import type { Obligation } from '../obligations/types';
import { obligationsFor } from '../obligations/obligationsFor';
import type { DomainContext } from '../ports';
import type { UseCase } from '../types';
import { readComplianceHead } from './complianceHead';

/** Obligations met by an EU database registration: Art. 49(…) and Art. 26(8) (public-authority deployers, Art. 49(3)). */
export const isRegistrationObligation = (o: Pick<Obligation, 'article'>): boolean => /^Art\. 49(?!\d)/.test(o.article) || o.article === 'Art. 26(8)';

/** The registration obligation that applies on `on` (not merely one that will apply later), if any. */
export function registrationDue(obligations: readonly Obligation[]): Obligation | undefined {
  return obligations.find((o) => isRegistrationObligation(o) && o.state === 'applies');
}

/**
 * Refuses a move to production that the registration obligation holds. Checked when the advance
 * is requested and again on the approving vote (`approvalKey`), since the record or the day may
 * have changed in between.
 */
export async function requireRegistrationBeforeProduction(ctx: DomainContext, uc: UseCase, toStage: string, approvalKey?: string): Promise<void> {
  if (toStage !== 'production') return;
  const due = registrationDue(obligationsFor(uc, ctx.policy, ctx.clock.now()));
  if (!due) return;
  if ((await readComplianceHead(ctx, uc.key))?.registration) return;
  const what = approvalKey ? `${approvalKey} cannot be approved yet: ${uc.key}` : `${uc.key} cannot go to production yet: it`;
  throw new ForbiddenError(
    'usecase.registration_required',
    `${what} must first be registered in the EU database (${due.article}; the database of Art. 71), and no registration is recorded. Once it is registered, record it with: evidence register ${uc.key} <registration id> <YYYY-MM-DD>`,
    { article: due.article },
  );
}
