/**
 * Art. 43 route limits (texts in playbooks/evidence.yaml, copied from the Official Journal):
 * Art. 43(2) — for high-risk systems in points 2 to 8 of Annex III the provider follows internal
 * control (Annex VI), without a notified body — so recording the Annex VII (notified body) route
 * for such a use case is refused with a message naming the paragraph, its Annex III point and the
 * route that is open, and nothing is written; Art. 43(1) leaves point 1 of Annex III both routes.
 * Real legal model, real database, the domain operation the chat command calls.
 */
import { recordConformity } from '../../src/domain/evidence/recordConformity';
import type { EvidencePorts } from '../../src/domain/evidence/ports';
import { classifyRisk } from '../../src/domain/usecases/classifyRisk';
import { proposeUseCase } from '../../src/domain/usecases/proposeUseCase';
import type { UseCase } from '../../src/domain/types';
import { obligationsWithPolicy } from '../../src/evidence/obligations';
import { useTestContext } from '../support/context';
import { registerTeam, type Team } from '../support/people';
import { baseAnswers, noDerogation } from '../support/usecases';
import { evidencePorts } from './support';

const t = useTestContext();
let ports: EvidencePorts;
let team: Team;

const propose = (title: string, areas: string[]): Promise<UseCase> =>
  proposeUseCase(t.ctx, { actorId: team.llm_product_manager!.id, title, description: title, answers: baseAnswers({ annex_iii_areas: areas, ...noDerogation, data_classes: ['personal'] }) });
const route = (uc: UseCase, r: 'annex_vi_internal_control' | 'annex_vii_notified_body') =>
  recordConformity(t.ctx, ports, { actorId: team.ai_governance_legal!.id, key: uc.key, part: 'route', route: r });
const versions = async (uc: UseCase) => (await t.ctx.repos.audit.history(`compliance:${uc.key}`)).length;

beforeAll(async () => {
  t.clock.set('2028-01-10T09:00:00Z');
  team = await registerTeam(t.ctx);
  ports = evidencePorts(t.ctx, { obligationsFor: obligationsWithPolicy(t.ctx.policy) });
});

it('Annex III points 2 to 8: the notified-body route is refused, naming Art. 43(2), the point and the open route; nothing is written', async () => {
  for (const [areas, points] of [[['employment_recruitment'], 'Annex III 4(a)'], [['critical_infrastructure', 'justice_judicial_assistance'], 'Annex III 2, Annex III 8(a)']] as const) {
    const uc = await propose(`Route limits ${points}`, [...areas]);
    expect(uc.tier).toBe('high');
    await expect(route(uc, 'annex_vii_notified_body')).rejects.toMatchObject({
      code: 'evidence.route_not_open',
      message: `Art. 43(2): ${uc.key} is high-risk under ${points} (points 2 to 8 of Annex III), for which the provider follows internal control (Annex VI), without a notified body; the route annex-vii (notified body) is open only to point 1 of Annex III (Art. 43(1)). Record: evidence conformity ${uc.key} route annex-vi`,
    });
    expect(await versions(uc)).toBe(0);
    expect(await ports.compliance.get(uc.key)).toBeNull();
    // The route the text prescribes is recorded.
    expect((await route(uc, 'annex_vi_internal_control')).conformity?.route).toBe('annex_vi_internal_control');
    // A recorded internal-control route is not replaced by a notified body either.
    await expect(route(uc, 'annex_vii_notified_body')).rejects.toMatchObject({ code: 'evidence.route_not_open' });
    expect(await versions(uc)).toBe(1);
  }
});

it('Annex III point 1 (alone or with points 2 to 8): either route may be recorded (Art. 43(1))', async () => {
  for (const areas of [['biometric_remote_identification'], ['biometric_remote_identification', 'employment_recruitment']]) {
    const uc = await propose(`Biometrics ${areas.join('+')}`, areas);
    expect(uc.tier).toBe('high');
    expect(classifyRisk(uc.answers, t.ctx.policy.risk, t.ctx.policy.regulation).annexIII).toContain('Annex III 1(a)');
    expect((await route(uc, 'annex_vii_notified_body')).conformity?.route).toBe('annex_vii_notified_body');
    expect((await route(uc, 'annex_vi_internal_control')).conformity?.route).toBe('annex_vi_internal_control');
  }
});
