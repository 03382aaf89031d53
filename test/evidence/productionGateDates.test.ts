/**
 * Before Art. 49(1) applies to Annex III systems (2027-12-02 under the dates in force), a
 * high-risk use case is not held at the production gate for a registration not yet owed.
 */
import { seedDemo } from '../../src/app/seedDemo';
import { castVote } from '../../src/domain/approvals/castVote';
import { requestAdvance } from '../../src/domain/usecases/requestAdvance';
import { useTestContext } from '../support/context';

// The demo seed writes nine months of history: far more than 30 s on a loaded machine.
jest.setTimeout(120_000);

const t = useTestContext();

it('the gate opens before the registration obligation applies', async () => {
  t.clock.set('2026-09-01T09:00:00Z');
  await seedDemo(t.ctx);
  const uc = (await t.ctx.repos.useCases.get('UC-3'))!;
  for (let i = 0; i < 2; i++) {
    const { approval } = await requestAdvance(t.ctx, { actorId: uc.ownerId, key: 'UC-3' });
    for (const id of approval.approverIds) if (id !== uc.ownerId && (await castVote(t.ctx, { actorId: id, approvalKey: approval.key, decision: 'approve', reason: 'ok' })).decided) break;
  }
  expect((await t.ctx.repos.useCases.get('UC-3'))!.stage).toBe('pilot');
  const { approval } = await requestAdvance(t.ctx, { actorId: uc.ownerId, key: 'UC-3' });
  expect(approval.toStage).toBe('production');
});
