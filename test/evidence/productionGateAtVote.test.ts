/**
 * The EU database registration gate (Arts. 49, 71) is checked again when the deciding vote is
 * cast, not only when the advance to production is requested: the in-between states where it
 * was fine at the request and is not at the vote (the Art. 49(1) obligation started to apply
 * meanwhile; the registration was withdrawn from the compliance record) leave the approval
 * pending with no vote written and the use case where it was. Real legal model, real database.
 */
import { seedDemo } from '../../src/app/seedDemo';
import { castVote } from '../../src/domain/approvals/castVote';
import { recordRegistration } from '../../src/domain/evidence/recordRegistration';
import type { EvidencePorts } from '../../src/domain/evidence/ports';
import { updateCompliance } from '../../src/domain/evidence/updateCompliance';
import { dateInForce } from '../../src/domain/obligations/dates';
import { requestAdvance } from '../../src/domain/usecases/requestAdvance';
import type { Approval } from '../../src/domain/types';
import { obligationsWithPolicy } from '../../src/evidence/obligations';
import { useTestContext } from '../support/context';
import { evidencePorts } from './support';

// The demo seed writes nine months of history: far more than 30 s on a loaded machine.
jest.setTimeout(120_000);

const t = useTestContext();
const DAY = 86_400_000;
let ports: EvidencePorts;
let ownerId: string;
let legalId: string;
/** The day Art. 49(1) starts to apply to Annex III systems under the dates in force (from the playbook). */
let registrationFrom: string;

const approve = (a: Approval, id: string) => castVote(t.ctx, { actorId: id, approvalKey: a.key, decision: 'approve', reason: 'exit criteria met' });

/** Requests the next gate and votes it through with every approver but the last; returns the approval and that last voter. */
async function allButLastVote(): Promise<{ approval: Approval; last: string }> {
  const { approval } = await requestAdvance(t.ctx, { actorId: ownerId, key: 'UC-3' });
  const voters = approval.approverIds.filter((id) => id !== ownerId);
  for (const id of voters.slice(0, -1)) expect((await approve(approval, id)).decided).toBeUndefined();
  return { approval, last: voters.at(-1)! };
}

async function passGate(): Promise<void> {
  const { approval, last } = await allButLastVote();
  expect((await approve(approval, last)).decided).toBe('approved');
}

/** What a refused vote must leave as it was: the approval's history and the use case's. */
const heads = async (a: Approval) => ({
  approval: (await t.ctx.repos.audit.history(`approval:${a.key}`)).length,
  useCase: (await t.ctx.repos.audit.history('usecase:UC-3')).length,
});

beforeAll(async () => {
  registrationFrom = dateInForce(t.ctx.policy.regulation, 'registration_annex_iii')!;
  // Two days before the registration obligation applies (within the production request's expiry): the gates are not held by it yet.
  t.clock.set(new Date(Date.parse(`${registrationFrom}T09:00:00Z`) - 2 * DAY).toISOString());
  await seedDemo(t.ctx);
  ports = evidencePorts(t.ctx, { obligationsFor: obligationsWithPolicy(t.ctx.policy) });
  const uc = (await t.ctx.repos.useCases.get('UC-3'))!;
  ownerId = uc.ownerId;
  legalId = uc.raci.find((r) => r.area === 'safety_compliance')!.accountable[0]!;
  await passGate();
  await passGate();
  expect((await t.ctx.repos.useCases.get('UC-3'))!.stage).toBe('pilot');
});

it('requested before Art. 49(1) applied, decided after: the deciding vote is refused until the registration is recorded', async () => {
  const { approval, last } = await allButLastVote();
  expect(approval.toStage).toBe('production');
  // The obligation starts to apply between the request and the last vote.
  t.clock.set(`${registrationFrom}T10:00:00Z`);
  const before = await heads(approval);
  await expect(approve(approval, last)).rejects.toMatchObject({
    code: 'usecase.registration_required',
    message: expect.stringMatching(new RegExp(`^${approval.key} cannot be approved yet: UC-3 must first be registered in the EU database \\(Art\\. 49\\(1\\); the database of Art\\. 71\\).*evidence register UC-3`)),
  });
  expect(await heads(approval)).toEqual(before);
  expect((await t.ctx.repos.approvals.get(approval.key))!).toMatchObject({ status: 'pending' });
  expect((await t.ctx.repos.useCases.get('UC-3'))!.stage).toBe('pilot');
  // Recorded, then withdrawn from the compliance record (a correction) before the vote: still refused.
  await recordRegistration(t.ctx, ports, { actorId: legalId, key: 'UC-3', registrationId: 'EU-DB-0042', registeredOn: registrationFrom });
  await updateCompliance(t.ctx, ports, 'UC-3', ({ registration: _withdrawn, ...rest }) => ({
    record: { ...rest, updatedAt: t.clock.now() },
    change: { at: t.clock.now(), actorId: legalId, action: 'compliance.registration_withdrawn', data: { useCaseKey: 'UC-3' } },
  }));
  await expect(approve(approval, last)).rejects.toMatchObject({ code: 'usecase.registration_required' });
  expect(await heads(approval)).toEqual(before);
  expect((await t.ctx.repos.useCases.get('UC-3'))!.stage).toBe('pilot');

  // Recorded again: the same vote now decides it, and the use case goes live.
  await recordRegistration(t.ctx, ports, { actorId: legalId, key: 'UC-3', registrationId: 'EU-DB-0043', registeredOn: registrationFrom });
  expect((await approve(approval, last)).decided).toBe('approved');
  expect((await t.ctx.repos.useCases.get('UC-3'))!.stage).toBe('production');
});
