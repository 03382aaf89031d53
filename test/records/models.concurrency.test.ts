/**
 * The model registry under concurrent writers, on the real database (FerretDB by default, where
 * conditional updates are not atomic): every acknowledged update and status change is its own
 * version in the model's history and survives in the final state, and a restriction written by
 * a failed evaluation is never undone by an update made at the same moment.
 */
import type { EvalRun, EvalThresholds } from '../../src/domain/evals/types';
import { recordEvalRun } from '../../src/domain/evals/recordEvalRun';
import type { HistoryEntry } from '../../src/domain/ports';
import { setModelStatus } from '../../src/domain/registry/setModelStatus';
import { updateModel, type UpdateModelInput } from '../../src/domain/registry/updateModel';
import type { Person, RegisteredModel } from '../../src/domain/types';
import { MongoEvalRunRepository } from '../../src/store/evalRuns.repo';
import { makeModel } from '../domain/governance.fixtures';
import { useTestContext } from '../support/context';
import { registerTestPerson } from '../support/people';

const t = useTestContext();
const ROUNDS = 20;
const WRITERS = 8;
jest.setTimeout(300_000);

let eng: Person;
let sec: Person;
let runs: MongoEvalRunRepository;

beforeAll(async () => {
  eng = await registerTestPerson(t.ctx, ['llmops_engineer'], 'Engineer');
  sec = await registerTestPerson(t.ctx, ['ai_security_specialist'], 'Security');
  runs = new MongoEvalRunRepository(t.ctx.conn);
  await runs.model.init();
});

const historyOf = (name: string) => t.ctx.repos.audit.history(`model:${name}`);

/** Six different fields, one per updater: a lost update shows as a field back at its old value. */
const updates = (round: number): UpdateModelInput['changes'][] => [
  { displayName: `Display ${round}` },
  { version: `v${round}` },
  { provider: `provider-${round}` },
  { modelName: `served-${round}` },
  { pricePer1kInput: round + 0.5 },
  { baseUrl: `https://models.example.com/r${round}/v1` },
  { pricePer1kOutput: round + 0.25 },
];

/** The history is versions 1..n with no gap, and the record read is its newest version. */
async function expectConsistent(name: string): Promise<HistoryEntry[]> {
  const history = await historyOf(name);
  expect(history.map((e) => e.version)).toEqual(history.map((_, i) => i + 1));
  const head = history[history.length - 1]!;
  const record = (await t.ctx.repos.models.get(name))!;
  expect(record.rev).toBe(head.version);
  expect(head.state).toMatchObject({ status: record.status, displayName: record.displayName });
  // The projection lists read caught up with the history.
  const listed = (await t.ctx.repos.models.list()).find((m) => m.name === name)!;
  expect(listed).toEqual(record);
  return history;
}

const failingRun = (modelName: string, round: number): EvalRun => {
  const at = t.clock.now();
  return {
    runId: `EV-conc-${round}-${Math.random().toString(36).slice(2, 8)}`, modelName, suite: 'redteam', suiteKind: 'redteam',
    endpoint: { baseUrl: 'http://127.0.0.1:9/v1', modelName }, startedAt: at, finishedAt: at, cases: [],
    metrics: {
      cases: 10, passed: 5, failed: 5, errored: 0, passRate: 0.5, injectionResistance: 0.5, latencyP50Ms: 1, latencyP95Ms: 2,
      tokensIn: 10, tokensOut: 10, cost: 0, judgeTokensIn: 0, judgeTokensOut: 0, durationMs: 1,
    },
  };
};
const thresholds: EvalThresholds = { minPassRate: 0.9, regressionTolerance: 0.05, openIncident: null, gate: { maxAgeDays: 30 } };

describe('models', () => {
  it(`keeps every one of ${WRITERS} updates and status changes made at the same moment (${ROUNDS} rounds)`, async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const model = await makeModel(t.ctx, { name: `conc-upd-${round}`, ownerId: eng.id });
      const fieldChanges = updates(round).slice(0, WRITERS - 2);
      const results = await Promise.allSettled<RegisteredModel>([
        ...fieldChanges.map((changes) => updateModel(t.ctx, { actorId: eng.id, name: model.name, changes })),
        setModelStatus(t.ctx, { actorId: sec.id, name: model.name, status: 'restricted', reason: `vendor issue ${round}` }),
        setModelStatus(t.ctx, { actorId: eng.id, name: model.name, status: 'deprecated', reason: `superseded ${round}` }),
      ]);
      expect(results.filter((r) => r.status === 'rejected')).toEqual([]);

      const history = await expectConsistent(model.name);
      // One version per acknowledged change, each with its own audit data.
      expect(history).toHaveLength(1 + WRITERS);
      const updated = history.filter((e) => e.action === 'model.updated').map((e) => e.data.changes);
      for (const changes of fieldChanges) {
        const [field, value] = Object.entries(changes)[0]!;
        expect(updated).toContainEqual({ [field]: { from: (model as any)[field] ?? null, to: value } });
      }
      const statusChanges = history.filter((e) => e.action === 'model.status_changed');
      expect(statusChanges.map((e) => e.data.to).sort()).toEqual(['deprecated', 'restricted']);

      // The final state has every field change, and the status of the last status change written.
      const stored = (await t.ctx.repos.models.get(model.name))!;
      expect(stored).toMatchObject(Object.assign({}, ...fieldChanges));
      expect(stored.status).toBe(statusChanges[statusChanges.length - 1]!.data.to);
      expect(stored.statusReason).toBe(statusChanges[statusChanges.length - 1]!.data.reason);
    }
  });

  it(`same status asked by ${WRITERS} people at once: one change, the others told it already is (${ROUNDS} rounds)`, async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const model = await makeModel(t.ctx, { name: `conc-ban-${round}`, ownerId: eng.id });
      const results = await Promise.allSettled(
        Array.from({ length: WRITERS }, (_, i) => setModelStatus(t.ctx, { actorId: i % 2 ? eng.id : sec.id, name: model.name, status: 'banned', reason: `breach ${i}` })),
      );
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      for (const r of results.filter((x): x is PromiseRejectedResult => x.status === 'rejected')) {
        expect(r.reason).toMatchObject({ code: 'model.status_unchanged', message: `${model.name} is already banned.` });
      }
      const history = await expectConsistent(model.name);
      expect(history.filter((e) => e.action === 'model.status_changed')).toHaveLength(1);
    }
  });

  it(`a failed evaluation's restriction is never undone by ${WRITERS - 1} updates made at the same moment (${ROUNDS} rounds)`, async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const model = await makeModel(t.ctx, { name: `conc-eval-${round}`, ownerId: eng.id });
      const fieldChanges = updates(round).slice(0, WRITERS - 1);
      const run = failingRun(model.name, round);
      const [recorded, ...rest] = await Promise.allSettled([
        recordEvalRun(t.ctx, runs, { run, thresholds, actorId: eng.id }),
        ...fieldChanges.map((changes) => updateModel(t.ctx, { actorId: eng.id, name: model.name, changes })),
      ]);
      expect([recorded, ...rest].filter((r) => r.status === 'rejected')).toEqual([]);
      expect(recorded).toMatchObject({ status: 'fulfilled', value: { statusChanged: true, status: 'restricted' } });

      const history = await expectConsistent(model.name);
      expect(history).toHaveLength(1 + WRITERS);
      const evalAt = history.findIndex((e) => e.action === 'eval.recorded');
      expect(history[evalAt]).toMatchObject({ data: { runId: run.runId, from: 'approved', to: 'restricted' } });
      // Every version from the restriction on is restricted: nothing wrote an older state back.
      for (const e of history.slice(evalAt)) expect(e.state).toMatchObject({ status: 'restricted', latestEval: { runId: run.runId, passed: false } });
      const stored = (await t.ctx.repos.models.get(model.name))!;
      expect(stored).toMatchObject({ status: 'restricted', latestEval: { runId: run.runId, passed: false }, ...Object.assign({}, ...fieldChanges) });
    }
  });
});
