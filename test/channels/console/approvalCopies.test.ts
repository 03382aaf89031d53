/**
 * A gate with four approvers, voted on in the console. Each approver's inbox shows the request
 * drawn for them as the approval stands when they read it: the voter's own copy without buttons
 * ("your approval is recorded"), the others' with buttons and the shared progress; once decided,
 * nobody's has buttons. Refusals read as a sentence; their code is in the API answer only.
 */
import { APPROVE_ACTION_ID } from '../../../src/conversation/actions';
import type { Policy } from '../../../src/domain/policy';
import { proposeTestUseCase } from '../../support/usecases';
import { api, useConsoleServer } from './harness';

const FOUR = ['ai_security_specialist', 'ai_governance_legal', 'domain_expert', 'llmops_engineer'];

const h = useConsoleServer();

beforeAll(() => {
  const p = h.ctx.policy;
  (h.ctx as { policy: Policy }).policy = {
    ...p,
    lifecycle: {
      ...p.lifecycle,
      gates: p.lifecycle.gates.map((g, i) => (i === 0 ? { ...g, approvers: { ...g.approvers, minimal: { roles: FOUR, quorum: 4 } } } : g)),
    },
  };
});

/** The person's inbox item for `key`, as the notifications stream sends it (its backlog). */
async function inboxItem(personId: string, key: string): Promise<{ html: string }> {
  const abort = new AbortController();
  const res = await fetch(`${h.base}/api/notifications?personId=${encodeURIComponent(personId)}`, { signal: abort.signal });
  const reader = res.body!.getReader();
  let seen = '';
  const deadline = Date.now() + 10_000;
  while (!seen.includes('event: ready') && Date.now() < deadline) {
    const { value, done } = await reader.read();
    if (done) break;
    seen += Buffer.from(value).toString('utf8');
  }
  abort.abort();
  const line = seen.split('\n').find((l) => l.startsWith('data: ') && l.includes(`"key":"${key}"`));
  if (!line) throw new Error(`no ${key} in the inbox of ${personId}`);
  return JSON.parse(line.slice(6));
}

const buttons = (html: string) => (html.match(new RegExp(`data-action-id="${APPROVE_ACTION_ID.replace(/\./g, '\\.')}"`, 'g')) ?? []).length;

it('each approver’s inbox shows the request as it stands for them', async () => {
  const pm = h.team.llm_product_manager!;
  const uc = await proposeTestUseCase(h.ctx, pm.id, 'minimal', { title: 'Four approvers in the console' });
  await api(h, 'command', { personId: pm.id, text: `advance ${uc.key}` });
  const approval = (await h.ctx.repos.approvals.list({ useCaseKey: uc.key }))[0]!;
  expect(approval.approverIds).toHaveLength(4);
  const [a, b, c, d] = FOUR.map((r) => h.team[r]!);
  const keyOf = (id: string) => `approval.requested:${approval.key}:${id}`;

  const first = await api(h, 'action', { personId: a!.id, actionId: APPROVE_ACTION_ID, value: approval.key });
  expect(buttons(first.json.updated)).toBe(0);
  expect(first.json.updated).toContain('Your approval is recorded');
  expect(first.json.updated).toContain('1 of 4 approved');

  const mine = await inboxItem(a!.id, keyOf(a!.id));
  expect(buttons(mine.html)).toBe(0);
  expect(mine.html).toContain('Your approval is recorded');
  const theirs = await inboxItem(b!.id, keyOf(b!.id));
  expect(buttons(theirs.html)).toBe(1);
  expect(theirs.html).toContain('1 of 4 approved');
  expect(theirs.html).not.toContain('Your approval is recorded');

  // A second vote by the same person is refused in words; the code is in the API answer only.
  const again = await api(h, 'action', { personId: a!.id, actionId: APPROVE_ACTION_ID, value: approval.key });
  expect(again.json.cards.join('')).toMatch(/already voted/);
  expect(again.json.cards.join('')).not.toMatch(/approval\.already_voted|code:/);
  expect(again.json.refusal).toEqual({ code: 'approval.already_voted' });

  for (const voter of [b!, c!, d!]) expect((await api(h, 'action', { personId: voter.id, actionId: APPROVE_ACTION_ID, value: approval.key })).status).toBe(200);
  expect((await h.ctx.repos.approvals.get(approval.key))!.status).toBe('approved');
  for (const voter of [a!, d!]) {
    const item = await inboxItem(voter.id, keyOf(voter.id));
    expect(buttons(item.html)).toBe(0);
    expect(item.html).toContain('4 of 4 approved');
    expect(item.html).toMatch(/Approved/);
  }
});
