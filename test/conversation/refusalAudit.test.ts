/**
 * Refused decisions are audited: a requester voting on their own approval (typed or with the
 * button) is refused AND leaves an audit entry naming the actor, the attempt, the approval and
 * the refusal's code; a person repeating it, even all at once, adds no more than one entry per
 * minute; mistakes are not audited; the trail still verifies.
 */
import { verifyAudit } from '../../src/domain/audit/verifyAudit';
import type { Person } from '../../src/domain/types';
import { APPROVE_ACTION_ID } from '../../src/conversation/actions';
import { createConversation, type Conversation } from '../../src/conversation/handlers';
import { REFUSAL_AUDIT_ACTION } from '../../src/conversation/handlers/auditRefusal';
import { requestAdvance } from '../../src/domain/usecases/requestAdvance';
import { useTestContext } from '../support/context';
import { registerTeam } from '../support/people';
import { proposeTestUseCase } from '../support/usecases';

const t = useTestContext();
let convo: Conversation;
let pm: Person;

const refusalsOf = async (actorId: string) => {
  const out = [];
  for await (const e of t.ctx.repos.audit.all('stream')) if (e.action === REFUSAL_AUDIT_ACTION && e.actorId === actorId) out.push(e);
  return out;
};

beforeAll(async () => {
  pm = (await registerTeam(t.ctx)).llm_product_manager;
  convo = createConversation({ ctx: t.ctx });
});

test('a refused self-approval is audited once a minute however often it is tried; the trail verifies', async () => {
  const uc = await proposeTestUseCase(t.ctx, pm.id, 'minimal');
  const { approval } = await requestAdvance(t.ctx, { actorId: pm.id, key: uc.key });

  const reply = await convo.handle(pm, { kind: 'command', text: `approve ${approval.key}` });
  expect(reply.refusal).toEqual({ code: 'approval.self_approval' });
  expect((await t.ctx.repos.approvals.get(approval.key))!.votes).toHaveLength(0);
  const first = await refusalsOf(pm.id);
  expect(first).toHaveLength(1);
  expect(first[0]).toMatchObject({
    actorId: pm.id,
    action: REFUSAL_AUDIT_ACTION,
    data: { attempt: 'command:approve', target: approval.key, code: 'approval.self_approval', kind: 'forbidden' },
  });

  // Spamming the same attempt, twenty at once: still one entry this minute.
  const again = await Promise.all(Array.from({ length: 20 }, () => convo.handle(pm, { kind: 'command', text: `approve ${approval.key} please` })));
  expect(again.every((r) => r.refusal?.code === 'approval.self_approval')).toBe(true);
  expect(await refusalsOf(pm.id)).toHaveLength(1);

  // The button is another attempt (audited once too); a minute later the command is audited again.
  await convo.handle(pm, { kind: 'action', actionId: APPROVE_ACTION_ID, value: approval.key });
  await convo.handle(pm, { kind: 'action', actionId: APPROVE_ACTION_ID, value: approval.key });
  t.clock.advanceMs(60_000);
  await convo.handle(pm, { kind: 'command', text: `approve ${approval.key}` });
  const all = await refusalsOf(pm.id);
  expect(all.map((e) => [e.data?.attempt, e.data?.target])).toEqual(
    expect.arrayContaining([
      ['command:approve', approval.key],
      [`action:${APPROVE_ACTION_ID}`, approval.key],
    ]),
  );
  expect(all).toHaveLength(3);

  // A mistake is not a decision: nothing audited.
  const typo = await convo.handle(pm, { kind: 'command', text: 'aprove' });
  expect(typo.refusal).toBeUndefined();
  expect(await convo.handle(pm, { kind: 'command', text: 'approve APR-99999' })).toMatchObject({ refusal: { code: expect.stringMatching(/not_found/) } });
  expect(await refusalsOf(pm.id)).toHaveLength(3);

  expect((await verifyAudit(t.ctx.repos.audit)).ok).toBe(true);
});
