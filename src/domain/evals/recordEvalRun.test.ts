/** recordEvalRun on the real database: stores, gates, restricts, audits, announces, opens the incident once. */
import { fixtureChange } from '../../../test/support/changes';
import { useTestContext } from '../../../test/support/context';
import { MongoEvalRunRepository } from '../../store/evalRuns.repo';
import { NotFoundError } from '../errors';
import { react } from '../records/react';
import type { RegisteredModel } from '../types';
import { recordEvalRun } from './recordEvalRun';
import type { EvalRun, EvalThresholds } from './types';

const t = useTestContext();
let runs: MongoEvalRunRepository;
beforeAll(async () => {
  runs = new MongoEvalRunRepository(t.ctx.conn);
  await runs.model.init();
  for (const id of ['P-qa', 'P-owner']) await t.ctx.repos.people.create({ id, name: id, roles: [], createdAt: t.clock.now() }, fixtureChange());
});

/** The model's newest history entry: the change recordEvalRun wrote. */
const headOf = async (name: string) => (await t.ctx.repos.audit.head(`model:${name}`))!;
beforeEach(() => {
  t.events.length = 0;
});

const thresholds: EvalThresholds = {
  minPassRate: 0.9,
  minInjectionResistance: 1,
  regressionTolerance: 0.05,
  openIncident: { category: 'prompt_injection', severity: 'sev2' },
  gate: { maxAgeDays: 30 },
};

async function registerModel(name: string, status: RegisteredModel['status'] = 'approved'): Promise<RegisteredModel> {
  const now = t.clock.now();
  const { record } = await t.ctx.repos.models.create(
    {
      name, displayName: name, provider: 'Acme', version: '1', hosting: 'self_hosted', baseUrl: 'http://127.0.0.1:1/v1',
      modelName: `${name}-v1`, allowedDataClasses: ['public'], pricePer1kInput: 0.5, pricePer1kOutput: 1.5,
      status, ownerId: 'P-owner', createdAt: now, updatedAt: now,
    },
    fixtureChange(),
  );
  return record;
}

let seq = 0;
function run(modelName: string, passRate: number, injectionResistance = 1): EvalRun {
  seq++;
  const at = new Date(t.clock.now().getTime() + seq * 1000);
  return {
    runId: `EV-T-${seq}`, modelName, suite: 'redteam', suiteKind: 'redteam',
    endpoint: { baseUrl: 'http://127.0.0.1:1/v1', modelName: `${modelName}-v1` },
    startedAt: at, finishedAt: at,
    metrics: {
      cases: 20, passed: Math.round(passRate * 20), failed: 20 - Math.round(passRate * 20), errored: 0, passRate, injectionResistance,
      latencyP50Ms: 100, latencyP95Ms: 250, tokensIn: 1000, tokensOut: 500, cost: 1.25, judgeTokensIn: 0, judgeTokensOut: 0, durationMs: 5000,
    },
    cases: [],
  };
}

test('a passing run is stored, summarised on the model, audited and announced to the starter; status unchanged', async () => {
  await registerModel('alpha');
  const r = await recordEvalRun(t.ctx, runs, { run: run('alpha', 1), thresholds, actorId: 'P-qa', openIncident: true });
  expect(r).toMatchObject({ assessment: { passed: true, reasons: [] }, statusChanged: false, status: 'approved', recipientIds: ['P-qa'] });
  expect(r.incident).toBeUndefined();
  expect((await runs.get(r.run.runId))!.assessment).toEqual({ passed: true, reasons: [] });
  const model = (await t.ctx.repos.models.get('alpha'))!;
  expect(model.status).toBe('approved');
  expect(model.latestEval).toMatchObject({ runId: r.run.runId, suite: 'redteam', passed: true, passRate: 1, injectionResistance: 1, latencyP95Ms: 250, tokensIn: 1000, tokensOut: 500, cost: 1.25 });
  expect(t.events).toEqual([expect.objectContaining({ type: 'eval.passed', modelName: 'alpha', runId: r.run.runId, recipientIds: ['P-qa'] })]);
  expect((await t.ctx.repos.incidents.list()).filter((i) => i.modelName === 'alpha')).toEqual([]);
  const audit = await headOf('alpha');
  expect(audit).toMatchObject({ action: 'eval.recorded', subject: 'alpha', actorId: 'P-qa' });
  expect(audit.data).toMatchObject({ runId: r.run.runId, passed: true });
  expect(audit.data).not.toHaveProperty('to');
});

test('a failing run restricts the model in one audited change, announces it, and opens one incident caused by the run', async () => {
  await registerModel('beta');
  const r = await recordEvalRun(t.ctx, runs, { run: run('beta', 0.8, 0.5), thresholds, actorId: 'P-qa', openIncident: true });
  expect(r.assessment.passed).toBe(false);
  expect(r).toMatchObject({ statusChanged: true, status: 'restricted', recipientIds: ['P-owner', 'P-qa'] });
  const model = (await t.ctx.repos.models.get('beta'))!;
  expect(model.status).toBe('restricted');
  expect(model.statusReason).toBe(
    `Evaluation ${r.run.runId} (redteam) failed: pass rate 80.0% is below the minimum 90.0%; injection resistance 50.0% is below the minimum 100.0%`,
  );
  expect(model.latestEval).toMatchObject({ runId: r.run.runId, passed: false });

  const incidents = (await t.ctx.repos.incidents.list()).filter((i) => i.modelName === 'beta');
  expect(incidents).toHaveLength(1);
  expect(incidents[0]).toMatchObject({ category: 'prompt_injection', severity: 'sev2', reporterId: 'P-qa', title: 'Evaluation redteam failed for beta' });
  expect(incidents[0]!.description).toContain(r.run.runId);
  expect(r.incident).toMatchObject({ key: incidents[0]!.key });
  expect((await t.ctx.repos.audit.history(`incident:${incidents[0]!.key}`))[0]).toMatchObject({ action: 'incident.reported', cause: `eval:${r.run.runId}` });

  // The restriction and the announcement are one entry of the model's history.
  const entry = await headOf('beta');
  expect(entry).toMatchObject({ action: 'eval.recorded', subject: 'beta', actorId: 'P-qa', data: { from: 'approved', to: 'restricted', runId: r.run.runId, passed: false } });
  expect(entry.events.map((e) => e.type)).toEqual(['model.status_changed', 'eval.failed']);
  expect(t.events.filter((e) => e.type !== 'incident.reported')).toEqual([
    { type: 'model.status_changed', at: t.clock.now(), actorId: 'P-qa', modelName: 'beta', status: 'restricted' },
    expect.objectContaining({ type: 'eval.failed', modelName: 'beta', runId: r.run.runId, recipientIds: ['P-owner', 'P-qa'], incidentKey: incidents[0]!.key }),
  ]);

  // Its consequences run again (another process, the sweep): still one incident, named again.
  t.events.length = 0;
  expect((await react(t.ctx, entry)).ok).toBe(true);
  expect((await t.ctx.repos.incidents.list()).filter((i) => i.modelName === 'beta')).toHaveLength(1);
  expect(t.events).toEqual([expect.objectContaining({ type: 'model.status_changed' }), expect.objectContaining({ type: 'eval.failed', incidentKey: incidents[0]!.key })]);
});

test('regression from the last passing run fails even above the minimum', async () => {
  await registerModel('gamma');
  const first = await recordEvalRun(t.ctx, runs, { run: run('gamma', 1), thresholds, actorId: 'P-qa' });
  expect(first.assessment.passed).toBe(true);
  const second = await recordEvalRun(t.ctx, runs, { run: run('gamma', 0.92), thresholds, actorId: 'P-qa' });
  expect(second.assessment).toEqual({ passed: false, reasons: ['pass rate fell 8.0% from 100.0% in the last passing run (tolerance 5.0%)'] });
  expect((await t.ctx.repos.models.get('gamma'))!.status).toBe('restricted');
  // The failed run is not a baseline: the next comparison is still against the first run.
  expect((await runs.latestPassing('gamma', 'redteam'))!.runId).toBe(first.run.runId);
});

test('a banned model stays banned; no status event', async () => {
  await registerModel('delta', 'banned');
  const r = await recordEvalRun(t.ctx, runs, { run: run('delta', 0.1), thresholds: { ...thresholds, openIncident: null }, actorId: 'P-qa' });
  expect(r).toMatchObject({ statusChanged: false, status: 'banned' });
  expect(t.events.map((e) => e.type)).toEqual(['eval.failed']);
  expect((await headOf('delta')).data).not.toHaveProperty('to');
});

test('an unknown model is NotFound and nothing is stored', async () => {
  const r = run('nope', 1);
  await expect(recordEvalRun(t.ctx, runs, { run: r, thresholds, actorId: 'P-qa' })).rejects.toBeInstanceOf(NotFoundError);
  expect(await runs.get(r.runId)).toBeNull();
});
