/**
 * Which Art. 43 conformity assessment routes the law leaves open to a high-risk use case, as far
 * as the text Steward holds (playbooks/evidence.yaml, copied from the Official Journal) says:
 * Art. 43(2) — for high-risk AI systems referred to in points 2 to 8 of Annex III, the provider
 * follows internal control (Annex VI), "which does not provide for the involvement of a notified
 * body"; Art. 43(1) — for point 1 of Annex III the provider opts for Annex VI or Annex VII.
 * Not decided here (the conditions are not in the text Steward holds): the Art. 43(1) cases
 * where Annex VII is mandatory (harmonised standards not applied), and the Annex I route
 * (Art. 43(3), the product legislation's own procedure). A system listed under point 1 and under
 * points 2 to 8 is not refused either route. Pure.
 */
import type { Policy } from '../policy';
import type { UseCase } from '../types';
import { classifyRisk } from '../usecases/classifyRisk';
import type { ConformityRoute } from './types';

/** "Annex III 4(a)" → 4; undefined for anything that does not name a point. */
const annexIIIPoint = (ref: string): number | undefined => {
  const m = /^Annex III (\d+)/.exec(ref);
  return m ? Number(m[1]) : undefined;
};

/** Why `route` is not open to this use case under Art. 43, or undefined when nothing in the text closes it. */
export function conformityRouteRefusal(uc: Pick<UseCase, 'key' | 'answers'>, policy: Policy, route: ConformityRoute): string | undefined {
  if (route !== 'annex_vii_notified_body') return undefined;
  const c = classifyRisk(uc.answers, policy.risk, policy.regulation);
  if (c.route !== 'annex_iii') return undefined;
  const points = c.annexIII.map(annexIIIPoint);
  if (!points.length || !points.every((p) => p !== undefined && p >= 2 && p <= 8)) return undefined;
  return (
    `Art. 43(2): ${uc.key} is high-risk under ${c.annexIII.join(', ')} (points 2 to 8 of Annex III), for which the provider follows internal control (Annex VI), without a notified body; ` +
    `the route annex-vii (notified body) is open only to point 1 of Annex III (Art. 43(1)). Record: evidence conformity ${uc.key} route annex-vi`
  );
}
