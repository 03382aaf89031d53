/**
 * The production gate and the EU database registration (Arts. 49, 71): a high-risk provider's
 * use case whose Art. 49(1) obligation applies cannot ask to go live until its registration is
 * recorded; before the obligation applies (dates in force) and for use cases that owe none, the
 * gate is not held up by it. Real legal model (playbooks/regulation.yaml), real database.
 */
import { seedDemo } from '../../src/app/seedDemo';
import { castVote } from '../../src/domain/approvals/castVote';
import { recordConformity } from '../../src/domain/evidence/recordConformity';
import { recordRegistration } from '../../src/domain/evidence/recordRegistration';
import type { EvidencePorts } from '../../src/domain/evidence/ports';
import { obligationsWithPolicy } from '../../src/evidence/obligations';
import { requestAdvance } from '../../src/domain/usecases/requestAdvance';
import type { Person } from '../../src/domain/types';
import { useTestContext } from '../support/context';
import { evidencePorts } from './support';

// The demo seed writes nine months of history: far more than 30 s on a loaded machine.
jest.setTimeout(120_000);

const t = useTestContext();
let ports: EvidencePorts;
let people: Person[];
let pm: Person;
let legal: Person;

/** Requests the next gate and has the approvers vote it through (as the demo seed does). */
async function passGate(key: string): Promise<void> {
  const { approval } = await requestAdvance(t.ctx, { actorId: pm.id, key });
  for (const id of approval.approverIds) {
    if (id === pm.id) continue;
    if ((await castVote(t.ctx, { actorId: id, approvalKey: approval.key, decision: 'approve', reason: 'exit criteria met' })).decided) break;
  }
}

beforeAll(async () => {
  // Art. 49(1) for Annex III systems applies from 2027-12-02 under the dates in force.
  t.clock.set('2028-01-10T09:00:00Z');
  await seedDemo(t.ctx);
  ports = evidencePorts(t.ctx, { obligationsFor: obligationsWithPolicy(t.ctx.policy) });
  people = await t.ctx.repos.people.list();
  const uc3 = (await t.ctx.repos.useCases.get('UC-3'))!;
  pm = people.find((p) => p.id === uc3.ownerId)!;
  legal = people.find((p) => p.id === uc3.raci.find((r) => r.area === 'safety_compliance')!.accountable[0])!;
  // The CV screening assistant (high risk, Annex III, provider) from evaluation to pilot.
  await passGate('UC-3');
  await passGate('UC-3');
  expect((await t.ctx.repos.useCases.get('UC-3'))!.stage).toBe('pilot');
});

it('going live is refused while the required registration is not recorded, naming Arts. 49 and 71, and nothing is opened', async () => {
  await expect(requestAdvance(t.ctx, { actorId: pm.id, key: 'UC-3' })).rejects.toMatchObject({
    code: 'usecase.registration_required',
    message: expect.stringMatching(/UC-3 cannot go to production yet: .*registered in the EU database \(Art\. 49\(1\); the database of Art\. 71\).*evidence register UC-3/),
  });
  expect(await t.ctx.repos.approvals.list({ useCaseKey: 'UC-3', status: 'pending' })).toEqual([]);
});

it('once `evidence register` recorded it, the request to go live is opened', async () => {
  await recordRegistration(t.ctx, ports, { actorId: legal.id, key: 'UC-3', registrationId: 'EU-DB-0042', registeredOn: '2028-01-09' });
  const { approval } = await requestAdvance(t.ctx, { actorId: pm.id, key: 'UC-3' });
  expect(approval).toMatchObject({ useCaseKey: 'UC-3', fromStage: 'pilot', toStage: 'production', status: 'pending' });
});

it('a use case that owes no registration (the transparency-tier chatbot in pilot) is not held up', async () => {
  const uc2 = (await t.ctx.repos.useCases.get('UC-2'))!;
  expect(uc2.stage).toBe('pilot');
  const requester = people.find((p) => p.id === uc2.ownerId)!;
  const { approval } = await requestAdvance(t.ctx, { actorId: requester.id, key: 'UC-2' });
  expect(approval.toStage).toBe('production');
});

it('two conformity entries recorded at once both land, as two versions (neither overwrites the other)', async () => {
  const before = (await ports.compliance.get('UC-3'))!.rev!;
  await Promise.all([
    recordConformity(t.ctx, ports, { actorId: legal.id, key: 'UC-3', part: 'route', route: 'annex_vi_internal_control' }),
    recordConformity(t.ctx, ports, { actorId: legal.id, key: 'UC-3', part: 'ce', ceMarkedOn: '2028-01-08' }),
  ]);
  const after = (await ports.compliance.get('UC-3'))!;
  expect(after.rev).toBe(before + 2);
  expect(after.conformity).toMatchObject({ route: 'annex_vi_internal_control', ceMarkedOn: '2028-01-08' });
  expect(after.registration?.registrationId).toBe('EU-DB-0042');
  // A deployer-only or minimal use case owes no Art. 43: refused, nothing written.
  await expect(recordConformity(t.ctx, ports, { actorId: legal.id, key: 'UC-1', part: 'route', route: 'annex_vi_internal_control' })).rejects.toThrow(/Only the Accountable|Art\. 43 does not apply to UC-1/);
});
