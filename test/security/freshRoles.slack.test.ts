/**
 * Authorisation reads the person as stored now. Over signed Slack HTTP: an LLMOps engineer
 * starts an evaluation (which also puts them in the Slack identity cache), loses the role, and
 * the very next `eval run` is refused; the cache may name them, it may not vouch for their roles.
 */
import type { EvalRunRequest } from '../../src/conversation/handlers';
import { SYSTEM_ACTOR } from '../../src/domain/people/actor';
import { assignRoles } from '../../src/domain/people/assignRoles';
import { registerApprovedGpuModel } from '../support/models';
import { registerTeam, registerTestPerson } from '../support/people';
import { slackDriver, textOf } from '../channels/slack/support/drive';
import { useSlackHarness } from '../channels/slack/support/harness';

const started: EvalRunRequest[] = [];
const h = useSlackHarness({
  conversationDeps: () => ({
    startEvalRun: async (req) => {
      started.push(req);
      return { title: `Evaluation of ${req.modelName} queued` };
    },
  }),
});
const slack = slackDriver(h);

it('a role removed a moment ago no longer counts for the next decision', async () => {
  const team = await registerTeam(h.t.ctx);
  const model = await registerApprovedGpuModel(h.t.ctx, team, 'gpu-fresh');
  const engineer = await registerTestPerson(h.t.ctx, ['llmops_engineer'], 'Soon Former Engineer');
  expect(model.ownerId).not.toBe(engineer.id);

  const first = await slack.say(engineer, 'eval run gpu-fresh smoke');
  expect(textOf(first[0]!.body)).toContain('queued');
  expect(started.map((r) => r.actor.id)).toEqual([engineer.id]);

  await assignRoles(h.t.ctx, { actorId: SYSTEM_ACTOR, personId: engineer.id, remove: ['llmops_engineer'] });

  const second = await slack.say(engineer, 'eval run gpu-fresh smoke');
  expect(textOf(second[0]!.body)).toMatch(/Only the owner of .* or an LLMOps engineer/);
  expect(started).toHaveLength(1);
});

