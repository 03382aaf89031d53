/** recordEvalRun on the real database: stores, gates, restricts, audits, emits, hooks. */
import { useTestContext } from '../../../test/support/context';
import { MongoEvalRunRepository } from '../../store/evalRuns.repo';
import { NotFoundError } from '../errors';
import type { RegisteredModel } from '../types';
import { recordEvalRun, type EvalIncidentInput } from './recordEvalRun';
import type { EvalRun, EvalThresholds } from './types';

const t = useTestContext();
let runs: MongoEvalRunRepository;
beforeAll(async () => {
  runs = new MongoEvalRunRepository(t.ctx.conn);
  await runs.model.init();
});
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
  return t.ctx.repos.models.create({
    name, displayName: name, provider: 'Acme', version: '1', hosting: 'self_hosted', baseUrl: 'http://127.0.0.1:1/v1',
    modelName: `${name}-v1`, allowedDataClasses: ['public'], pricePer1kInput: 0.5, pricePer1kOutput: 1.5,
    status, ownerId: 'P-owner', createdAt: now, updatedAt: now,
  });
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

test('a passing run is stored, summarised on the model and audited; status unchanged', async () => {
  await registerModel('alpha');
  const incidents: EvalIncidentInput[] = [];
  const r = await recordEvalRun(t.ctx, runs, { run: run('alpha', 1), thresholds, actorId: 'P-qa', openIncident: async (i) => incidents.push(i) });
  expect(r).toMatchObject({ assessment: { passed: true, reasons: [] }, statusChanged: false, status: 'approved' });
  expect((await runs.get(r.run.runId))!.assessment).toEqual({ passed: true, reasons: [] });
  const model = (await t.ctx.repos.models.get('alpha'))!;
  expect(model.status).toBe('approved');
  expect(model.latestEval).toMatchObject({ runId: r.run.runId, suite: 'redteam', passed: true, passRate: 1, injectionResistance: 1, latencyP95Ms: 250, tokensIn: 1000, tokensOut: 500, cost: 1.25 });
  expect(t.events).toEqual([]);
  expect(incidents).toEqual([]);
  const audit = (await t.ctx.repos.audit.last())!;
  expect(audit).toMatchObject({ action: 'eval.recorded', subject: 'alpha', actorId: 'P-qa' });
  expect(audit.data).toMatchObject({ runId: r.run.runId, passed: true });
});

test('a failing run restricts the model with the reasons, audits, emits and calls the incident hook', async () => {
  await registerModel('beta');
  const incidents: EvalIncidentInput[] = [];
  const r = await recordEvalRun(t.ctx, runs, { run: run('beta', 0.8, 0.5), thresholds, actorId: 'P-qa', openIncident: async (i) => { incidents.push(i); return { key: 'INC-9' }; } });
  expect(r.assessment.passed).toBe(false);
  expect(r).toMatchObject({ statusChanged: true, status: 'restricted', incident: { key: 'INC-9' } });
  const model = (await t.ctx.repos.models.get('beta'))!;
  expect(model.status).toBe('restricted');
  expect(model.statusReason).toBe(
    `Evaluation ${r.run.runId} (redteam) failed: pass rate 80.0% is below the minimum 90.0%; injection resistance 50.0% is below the minimum 100.0%`,
  );
  expect(model.latestEval).toMatchObject({ runId: r.run.runId, passed: false });
  expect(t.events).toEqual([{ type: 'model.status_changed', at: t.clock.now(), actorId: 'P-qa', modelName: 'beta', status: 'restricted' }]);
  expect(incidents).toEqual([
    expect.objectContaining({ modelName: 'beta', runId: r.run.runId, category: 'prompt_injection', severity: 'sev2', actorId: 'P-qa', title: 'Evaluation redteam failed for beta' }),
  ]);
  const last = (await t.ctx.repos.audit.last())!;
  expect(last).toMatchObject({ action: 'model.status_changed', subject: 'beta', data: { from: 'approved', to: 'restricted', runId: r.run.runId } });
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
  expect(t.events).toEqual([]);
});

test('an unknown model is NotFound and nothing is stored', async () => {
  const r = run('nope', 1);
  await expect(recordEvalRun(t.ctx, runs, { run: r, thresholds, actorId: 'P-qa' })).rejects.toBeInstanceOf(NotFoundError);
  expect(await runs.get(r.runId)).toBeNull();
});
