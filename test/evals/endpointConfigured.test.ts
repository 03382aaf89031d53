/**
 * Scheduled evaluations only run against endpoints this process can call: a model whose key
 * variable is not set (the demo's models, out of the box) is skipped, not failed against, and
 * its card says the endpoint is not configured and why.
 */
import { modelCard } from '../../src/conversation/cards/models';
import { indexPeople } from '../../src/conversation/cards/format';
import type { RegisteredModel } from '../../src/domain/types';
import { DEFAULT_EVALS_DIR } from '../../src/evals/loadSuites';
import { endpointProblem } from '../../src/evals/endpoint';
import { agendaEvalQueue } from '../../src/evals/service/evalQueue';
import { bindEvalRuntime, createEvalRuntime } from '../../src/evals/service/evalRuntime';
import { scheduleEvals } from '../../src/evals/service/scheduleEvals';
import { MongoEvalRunRepository } from '../../src/store/evalRuns.repo';
import { fixtureChange } from '../support/changes';
import { useTestContext } from '../support/context';
import { registerTestPerson } from '../support/people';

const t = useTestContext();

const base = { hosting: 'hosted_api' as const, baseUrl: 'http://127.0.0.1:9/v1' };

it('names what is missing: the URL, the key variable, or its value', () => {
  expect(endpointProblem({ ...base, baseUrl: undefined }, {})).toBe('no endpoint URL in the registry');
  expect(endpointProblem({ ...base, apiKeyEnv: 'DEMO_KEY' }, {})).toBe('the environment variable DEMO_KEY is not set');
  expect(endpointProblem({ ...base }, {})).toMatch(/names no API key variable/);
  expect(endpointProblem({ ...base, apiKeyEnv: 'DEMO_KEY' }, { DEMO_KEY: 'k' })).toBeUndefined();
  expect(endpointProblem({ ...base, hosting: 'self_hosted' }, {})).toBeUndefined();
});

it('the sweep queues runs only for configured endpoints; the card says "not configured"', async () => {
  const ownerId = (await registerTestPerson(t.ctx, ['llm_product_manager'])).id;
  const evalRuns = new MongoEvalRunRepository(t.ctx.conn);
  await evalRuns.model.init();
  const rt = bindEvalRuntime(t.ctx.conn, createEvalRuntime({ evalRuns, queue: agendaEvalQueue(t.ctx.conn.db!) }, { suitesDir: DEFAULT_EVALS_DIR }));
  const now = t.clock.now();
  const model = (name: string, over: Partial<RegisteredModel>) =>
    t.ctx.repos.models.create(
      { name, displayName: name, provider: 'Local', version: '1', modelName: name, allowedDataClasses: ['public'], pricePer1kInput: 0, pricePer1kOutput: 0, status: 'approved', ownerId, createdAt: now, updatedAt: now, ...base, ...over },
      fixtureChange(),
    );
  await model('keyless', { apiKeyEnv: 'STEWARD_TEST_UNSET_KEY' });
  await model('keyed', { apiKeyEnv: 'STEWARD_TEST_SET_KEY' });
  const env = { STEWARD_TEST_SET_KEY: 'secret' };
  const result = await scheduleEvals(t.ctx, rt, env);
  expect(result.queued.length).toBeGreaterThan(0);
  expect(result.queued.every((k) => k.startsWith('scheduled:keyed:'))).toBe(true);

  const keyless = (await t.ctx.repos.models.get('keyless'))!;
  const card = modelCard({ model: keyless, policy: t.ctx.policy, people: indexPeople([]), endpointProblem: endpointProblem(keyless, env)! });
  expect(card.fields!.find((f) => f.label === 'Evaluation endpoint')!.value).toBe('not configured: the environment variable STEWARD_TEST_UNSET_KEY is not set');
});
