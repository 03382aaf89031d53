import { DomainError } from '../../src/domain/errors';
import type { DomainContext } from '../../src/domain/ports';

/** Awaits an operation that must be refused and returns the domain error (fails otherwise). */
export async function refusal(p: Promise<unknown>): Promise<DomainError> {
  const e = await p.then(
    () => null,
    (err: unknown) => err,
  );
  if (!(e instanceof DomainError)) throw new Error(`expected a DomainError, got ${String(e)}`);
  return e;
}

/** The context's policy plus a RACI area whose Accountable role nobody in the database holds. */
export const withUnstaffedArea = <C extends DomainContext>(ctx: C): C => ({
  ...ctx,
  policy: {
    ...ctx.policy,
    roles: [...ctx.policy.roles, { id: 'red_team_lead', name: 'Red team lead', description: 'test role nobody holds' }],
    raci: [
      ...ctx.policy.raci,
      { id: 'red_teaming', name: 'Red teaming', responsible: ['ai_security_specialist'], accountable: 'red_team_lead', consulted: [], informed: [] },
    ],
  },
});
