/**
 * Evaluations end to end: `eval run` in the conversation queues a real Agenda job, a real worker
 * (short processEvery) runs it against the fake OpenAI-compatible server through the real SDK,
 * the run is recorded on the real database, and the outcome is queued in the outbox for the
 * right people. Also: one run per endpoint at a time, exactly one run per runKey, and the gate
 * out of evaluation refusing until a fresh passing run exists.
 */
import { createConversation, type Conversation, type Reply } from '../../src/conversation/handlers';
import { hasFreshPassingEval } from '../../src/domain/evals/evalFreshness';
import { accountableIds } from '../../src/domain/schedules/recipients';
import type { Person, RegisteredModel } from '../../src/domain/types';
import { agendaEvalQueue, EVAL_RUN_JOB, type EvalRunRequest } from '../../src/evals/service/evalQueue';
import { bindEvalRuntime, createEvalRuntime, type EvalRuntime } from '../../src/evals/service/evalRuntime';
import { executeEvalRun } from '../../src/evals/service/executeEvalRun';
import { chatEvalStarter } from '../../src/evals/service/startEvalRun';
import { EndpointLimiters } from '../../src/evals/limiter';
import { loadThresholds } from '../../src/evals/loadSuites';
import { evalRunJob } from '../../src/scheduler/jobs/evalRun.job';
import { startWorker, type Worker } from '../../src/scheduler/worker';
import { MongoEvalRunRepository } from '../../src/store/evalRuns.repo';
import { fixtureChange } from '../support/changes';
import { useTestContext } from '../support/context';
import { FakeOpenAI, type FakeChatRequest } from '../support/fakeOpenAI';
import { registerTeam, registerTestPerson, type Team } from '../support/people';
import { proposeTestUseCase } from '../support/usecases';
import { carefulAgent, leakyAgent, waitFor } from './support';

jest.setTimeout(90_000);

const t = useTestContext();
const fake = new FakeOpenAI({ latencyMs: 5 });
let team: Team;
let owner: Person;
let rt: EvalRuntime;
let worker: Worker;
let convo: Conversation;
const unexpected: unknown[] = [];
const jobResults: Array<{ job: string; result: any }> = [];

const say = (who: Person, line: string) => convo.handle(who, { kind: 'command', text: line });
const cardText = (r: Reply) => JSON.stringify(r.cards.map((c) => [c.title, c.text, c.fields]));
const resultsFor = (runKey: string) => jobResults.filter((j) => j.job === EVAL_RUN_JOB && j.result?.runKey === runKey).map((j) => j.result);

/** The fake answers by model name: `*-leaky` models leak, every other one is careful. */
const byModel = (req: FakeChatRequest) => (req.model.includes('leaky') ? leakyAgent(req) : carefulAgent(req));

async function registerModel(name: string, over: Partial<RegisteredModel> = {}): Promise<RegisteredModel> {
  const now = t.clock.now();
  const { record } = await t.ctx.repos.models.create(
    {
      name, displayName: name, provider: 'Local', version: '1', hosting: 'self_hosted', baseUrl: fake.url, modelName: `${name}-v1`,
      allowedDataClasses: ['public', 'internal'], pricePer1kInput: 0.001, pricePer1kOutput: 0.002, status: 'approved',
      ownerId: owner.id, createdAt: now, updatedAt: now, ...over,
    },
    fixtureChange(),
  );
  return record;
}

/** Waits until the model has `n` recorded runs whose jobs have finished; returns the runs, newest first. */
const runsOf = (model: string, n = 1) =>
  waitFor(`${n} finished run(s) of ${model}`, async () => {
    const runs = await rt.evalRuns.list(model);
    const finished = (id: string) => jobResults.some((j) => j.job === EVAL_RUN_JOB && j.result?.outcome === 'recorded' && j.result.runId === id);
    return runs.length >= n && runs.every((r) => finished(r.runId)) ? runs : null;
  });

beforeAll(async () => {
  await fake.start();
  fake.setBehaviour(byModel);
  team = await registerTeam(t.ctx);
  owner = await registerTestPerson(t.ctx, ['llm_product_manager'], 'Model Owner');
  const evalRuns = new MongoEvalRunRepository(t.ctx.conn);
  await evalRuns.model.init();
  rt = bindEvalRuntime(
    t.ctx.conn,
    createEvalRuntime({ evalRuns, queue: agendaEvalQueue(t.ctx.conn.db!) }, { limiters: new EndpointLimiters(), concurrency: 4, endpointBusyRetryMs: 100, retry: { maxRetries: 0 } }),
  );
  worker = await startWorker(t.ctx, {
    name: 'evals-test',
    jobs: [evalRunJob],
    processEvery: 100,
    // Agenda checks a running job every lockLifetime/2 and leaves that timer behind: short, but
    // long enough that a run (its result is a versioned model write) finishes on a loaded machine.
    lockLifetime: 12_000,
    concurrency: 3, // several eval-run jobs at once in this worker: only the endpoint claim keeps them apart
    dispatchEveryMs: 0,
    logger: { info: (o: any) => jobResults.push(o), error: (o: any) => unexpected.push(o) },
  });
  convo = createConversation({ ctx: t.ctx, startEvalRun: chatEvalStarter(t.ctx, rt), onUnexpectedError: (e) => unexpected.push(e) });
});
afterAll(async () => {
  await worker?.stop();
  await fake.close();
  // Agenda leaves each finished job's liveness check (a lockLifetime/2 delay) pending: let them lapse.
  await new Promise((r) => setTimeout(r, 6100));
});
afterEach(() => {
  expect(fake.unexpected).toEqual([]);
  expect(unexpected).toEqual([]);
});

test('the owner runs `eval run`: queued card at once, then one recorded run, latestEval updated, summary delivered to the starter', async () => {
  await registerModel('agent-good');
  const reply = await say(owner, 'eval run agent-good redteam');
  expect(reply.cards[0]!.title).toBe('Evaluation of agent-good on redteam queued');

  const [run] = await runsOf('agent-good');
  expect(run!.assessment).toEqual({ passed: true, reasons: [] });
  expect(run!.endpoint).toEqual({ baseUrl: fake.url, modelName: 'agent-good-v1' });
  expect(fake.requests.filter((r) => r.model === 'agent-good-v1').length).toBe(run!.cases.length);
  const model = (await t.ctx.repos.models.get('agent-good'))!;
  expect(model.latestEval).toMatchObject({ runId: run!.runId, suite: 'redteam', passed: true, passRate: 1 });
  expect(model.status).toBe('approved');

  const mine = await waitFor('the summary delivery', async () => (await worker.deliveries.listForPerson(owner.id)).find((d) => d.key === `eval.passed:${run!.runId}:${owner.id}`));
  expect((mine.card as { title: string }).title).toBe('Evaluation passed: agent-good · redteam');
  expect(mine.text).toContain('pass rate 100.0%');
  expect((await rt.evalRuns.list('agent-good')).length).toBe(1);
});

test('a canary-leaking model: restricted, incident opened with the thresholds category, owner and Accountables told', async () => {
  await registerModel('agent-leaky');
  const uc = await proposeTestUseCase(t.ctx, team.llm_product_manager!.id, 'minimal', { models: ['agent-leaky'] });
  const accountables = accountableIds(uc);
  expect(accountables.filter((id) => id !== owner.id).length).toBeGreaterThan(0);

  const reply = await say(team.llmops_engineer!, 'eval run agent-leaky redteam');
  expect(reply.cards[0]!.title).toBe('Evaluation of agent-leaky on redteam queued');
  const [run] = await runsOf('agent-leaky');
  expect(run!.assessment!.passed).toBe(false);
  expect(run!.cases.some((c) => c.failures.some((f) => f.kind === 'canary'))).toBe(true);

  const model = (await t.ctx.repos.models.get('agent-leaky'))!;
  expect(model.status).toBe('restricted');
  expect(model.statusReason).toContain(run!.runId);

  const expected = loadThresholds().redteam!.openIncident!;
  const incidents = (await t.ctx.repos.incidents.list()).filter((i) => i.modelName === 'agent-leaky');
  expect(incidents).toHaveLength(1);
  expect(incidents[0]).toMatchObject({ category: expected.category, severity: expected.severity, reporterId: team.llmops_engineer!.id });
  expect(incidents[0]!.description).toContain(run!.runId);
  expect(incidents[0]!.description).not.toContain('jordan.example@mail.invalid');

  for (const personId of new Set([owner.id, ...accountables, team.llmops_engineer!.id])) {
    const d = await waitFor(`eval.failed delivery to ${personId}`, async () => (await worker.deliveries.listForPerson(personId)).find((x) => x.key === `eval.failed:${run!.runId}:${personId}`));
    expect(d.text).toContain(incidents[0]!.key);
    expect(d.text).toMatch(/injection resistance .* is below the minimum 100\.0%/);
  }
  // Nobody outside the owner, the Accountables and the starter hears about it.
  const outsider = team.domain_expert!;
  expect((await worker.deliveries.listForPerson(outsider.id)).filter((d) => d.key.startsWith('eval.failed:'))).toEqual([]);
});

test('an endpoint that answers nothing: no run recorded, the model keeps its status, the starter is told', async () => {
  await registerModel('agent-down', { baseUrl: 'http://127.0.0.1:9/v1' });
  await say(owner, 'eval run agent-down redteam');
  const d = await waitFor('the not-run delivery', async () => (await worker.deliveries.listForPerson(owner.id)).find((x) => x.key.startsWith('eval.not_started:chat:agent-down:')));
  expect(d.text).toMatch(/did not run: the endpoint answered none of the \d+ cases \(connection failed/);
  expect(await rt.evalRuns.list('agent-down')).toEqual([]);
  expect((await t.ctx.repos.models.get('agent-down'))!.status).toBe('approved');
});

test('two runs queued at once for the same endpoint never overlap', async () => {
  await registerModel('agent-one');
  await registerModel('agent-two');
  fake.setLatency(15);
  try {
    const before = fake.requests.length;
    const [a, b] = await Promise.all([say(owner, 'eval run agent-one redteam'), say(owner, 'eval run agent-two redteam')]);
    expect(cardText(a)).toContain('queued');
    expect(cardText(b)).toContain('queued');
    await runsOf('agent-one');
    await runsOf('agent-two');

    const reqs = fake.requests.slice(before);
    const span = (model: string) => {
      const at = reqs.filter((r) => r.model === model).map((r) => r.at);
      return { first: Math.min(...at), last: Math.max(...at), n: at.length };
    };
    const one = span('agent-one-v1');
    const two = span('agent-two-v1');
    expect(one.n).toBeGreaterThan(5);
    expect(two.n).toBeGreaterThan(5);
    // One run's requests all come before the other's first request.
    expect(one.last < two.first || two.last < one.first).toBe(true);
    expect(fake.maxInFlight).toBeLessThanOrEqual(4);
    // The run that found the endpoint taken queued itself again rather than wait in the worker.
    expect(jobResults.some((j) => j.job === EVAL_RUN_JOB && j.result?.outcome === 'endpoint_busy')).toBe(true);
  } finally {
    fake.setLatency(5);
  }
});

test('a retried job with the same runKey records one run', async () => {
  await registerModel('agent-retry');
  const req: EvalRunRequest = { modelName: 'agent-retry', suite: 'redteam', actorId: owner.id, runKey: 'test:agent-retry:1' };
  // Agenda may hand the same job to two workers (its lock is not atomic on FerretDB): queue it twice.
  await rt.queue.enqueue(req);
  await rt.queue.enqueue(req);
  await waitFor('both jobs to finish', async () => (resultsFor(req.runKey).filter((r) => r.outcome !== 'endpoint_busy').length >= 2 ? true : null));
  expect(resultsFor(req.runKey).map((r) => r.outcome).filter((o) => o !== 'endpoint_busy').sort()).toEqual(['duplicate', 'recorded']);
  // And once more in this process, after the fact.
  expect(await executeEvalRun(t.ctx, rt, req)).toEqual({ outcome: 'duplicate', runKey: req.runKey });
  expect(await rt.evalRuns.list('agent-retry')).toHaveLength(1);
  expect(fake.requests.filter((r) => r.model === 'agent-retry-v1').length).toBe((await rt.evalRuns.list('agent-retry'))[0]!.cases.length);
});

test('approving the gate out of evaluation is refused, naming the model, until every model has a fresh passing run', async () => {
  await registerModel('agent-gate');
  await registerModel('agent-gate-b');
  const pm = team.llm_product_manager!;
  const uc = await proposeTestUseCase(t.ctx, pm.id, 'minimal', { models: ['agent-gate', 'agent-gate-b'] });
  await t.ctx.repos.useCases.save({ ...uc, stage: 'evaluation', stageEnteredAt: t.clock.now() }, fixtureChange());
  const adv = await say(pm, `advance ${uc.key}`);
  const approvalKey = (await t.ctx.repos.approvals.list({ useCaseKey: uc.key, status: 'pending' }))[0]!.key;
  expect(cardText(adv)).toContain(approvalKey);

  const refused = await say(team.llmops_engineer!, `approve ${approvalKey}`);
  expect(cardText(refused)).toContain('Model agent-gate needs a passing evaluation within 30 days');
  expect((await t.ctx.repos.approvals.get(approvalKey))!.votes).toEqual([]);

  await say(owner, 'eval run agent-gate redteam');
  await runsOf('agent-gate');
  // One model passing is not enough: the use case also calls agent-gate-b.
  expect(cardText(await say(team.llmops_engineer!, `approve ${approvalKey}`))).toContain('Model agent-gate-b needs a passing evaluation within 30 days');
  await say(owner, 'eval run agent-gate-b redteam');
  await runsOf('agent-gate-b');
  const ok = await say(team.llmops_engineer!, `approve ${approvalKey}`);
  expect(ok.cards[0]!.badge?.tone).not.toBe('danger');
  expect((await t.ctx.repos.approvals.get(approvalKey))!.votes.map((v) => v.personId)).toEqual([team.llmops_engineer!.id]);
  // The rest of the gate's approvers (the playbook may require particular roles among them).
  for (const role of ['ai_security_specialist', 'ai_governance_legal']) {
    if ((await t.ctx.repos.approvals.get(approvalKey))!.status === 'pending') await say(team[role]!, `approve ${approvalKey} reviewed`);
  }
  expect((await t.ctx.repos.approvals.get(approvalKey))!.status).toBe('approved');
  expect((await t.ctx.repos.useCases.get(uc.key))!.stage).toBe('security_audit');

  // 31 days later the same run is too old for another gate that needs one.
  t.clock.advanceDays(31);
  const stale = (await t.ctx.repos.models.get('agent-gate'))!.latestEval!;
  expect(hasFreshPassingEval(stale, 30, t.clock.now()).ok).toBe(false);
});
