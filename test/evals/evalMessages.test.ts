/** The evaluation cards and messages, pure: recipients, keys, and what every renderer makes of them. */
import { cardToAdaptiveCard, cardToBlockKit, cardToHtml } from '../../src/conversation/render';
import type { EventOf } from '../../src/domain/events';
import { evalNotStartedCard, evalQueuedCard } from '../../src/evals/service/evalCards';
import { messagesForEvent } from '../../src/notifications/eventMessages';
import { makeEvalSummary } from '../support/factories';
import { blockProblems } from '../conversation/slackChecks';

const at = new Date('2026-09-01T09:00:00Z');
const failed: EventOf<'eval.failed'> = {
  type: 'eval.failed', at, actorId: 'p-starter', modelName: 'agent-x', runId: 'EV-1',
  summary: makeEvalSummary({ runId: 'EV-1', suite: 'redteam', passed: false, passRate: 0.5 }),
  reasons: ['pass rate 50.0% is below the minimum 85.0%'],
  failures: Array.from({ length: 20 }, (_, i) => ({ id: `case-${i}`, note: 'output contains the canary secret from the system prompt' })),
  failedCount: 60, recipientIds: ['p-owner', 'p-acc', 'p-owner', 'p-starter'], incidentKey: 'INC-4',
};

// messagesForEvent reads nothing for evaluation events: the event carries what the card shows.
const noCtx = {} as Parameters<typeof messagesForEvent>[0];

test('a failed run: one message per recipient, keyed by run and person, naming the reasons and the incident', async () => {
  const msgs = await messagesForEvent(noCtx, failed);
  expect(msgs.map((m) => m.key)).toEqual(['eval.failed:EV-1:p-owner', 'eval.failed:EV-1:p-acc', 'eval.failed:EV-1:p-starter']);
  const card = msgs[0]!.card as ReturnType<typeof evalQueuedCard>;
  expect(card.title).toBe('Evaluation failed: agent-x · redteam');
  expect(card.text).toContain('pass rate 50.0% is below the minimum 85.0%');
  expect(card.text).toContain('INC-4');
  expect(card.sections![0]!.title).toBe('Failed cases (60)');
  expect(msgs[0]!.text).toContain('(INC-4)');
});

test('a passed run goes to the starter only', async () => {
  const passed: EventOf<'eval.passed'> = { type: 'eval.passed', at, actorId: 'p-starter', modelName: 'agent-x', runId: 'EV-2', summary: makeEvalSummary({ runId: 'EV-2' }), recipientIds: ['p-starter'] };
  const msgs = await messagesForEvent(noCtx, passed);
  expect(msgs.map((m) => [m.key, m.to])).toEqual([['eval.passed:EV-2:p-starter', { personId: 'p-starter' }]]);
});

test('the cards render within Slack limits and as Adaptive Cards and HTML', async () => {
  const [fail] = await messagesForEvent(noCtx, failed);
  const cards = [
    fail!.card as ReturnType<typeof evalQueuedCard>,
    evalQueuedCard({ modelName: 'agent-x', suite: 'redteam', cases: 21, runKey: 'chat:agent-x:redteam:1', endpointModel: 'x-v1' }),
    evalNotStartedCard({ modelName: 'agent-x', suite: 'redteam', reason: 'model agent-x has no baseUrl in the registry' }),
  ];
  for (const c of cards) {
    expect(blockProblems(cardToBlockKit(c).blocks as never, 50)).toEqual([]);
    expect(JSON.stringify(cardToAdaptiveCard(c))).toContain(c.title);
    expect(cardToHtml(c)).toContain('agent-x');
  }
});
