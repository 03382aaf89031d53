import { useTestDatabase } from '../../test/support/db';
import { ConflictError } from '../domain/errors';
import type { EvalRun } from '../domain/evals/types';
import { MongoEvalRunRepository } from './evalRuns.repo';

const db = useTestDatabase();
let repo: MongoEvalRunRepository;
beforeAll(async () => {
  repo = new MongoEvalRunRepository(db.conn);
  await repo.model.init();
});

function sampleRun(over: Partial<EvalRun> = {}): EvalRun {
  return {
    runId: 'EV-1',
    modelName: 'acme-chat',
    suite: 'redteam',
    suiteKind: 'redteam',
    endpoint: { baseUrl: 'http://127.0.0.1:1/v1', modelName: 'acme-1' },
    startedAt: new Date('2026-09-01T09:00:00Z'),
    finishedAt: new Date('2026-09-01T09:01:00Z'),
    metrics: {
      cases: 2, passed: 1, failed: 1, errored: 0, passRate: 0.5, injectionResistance: 0.5,
      latencyP50Ms: 10, latencyP95Ms: 20, tokensIn: 100, tokensOut: 50, cost: 0.01,
      judgeTokensIn: 0, judgeTokensOut: 0, durationMs: 60_000,
    },
    cases: [
      { caseId: 'a', tags: ['LLM01:2025'], class: 'injection', passed: true, output: 'no', outputTruncated: false, latencyMs: 10, attempts: 1, tokensIn: 50, tokensOut: 25, failures: [] },
      { caseId: 'b', tags: [], class: 'injection', passed: false, output: 'leak', outputTruncated: false, latencyMs: 20, attempts: 2, tokensIn: 50, tokensOut: 25, failures: [{ kind: 'canary', reason: 'leaked' }] },
    ],
    ...over,
  };
}

test('create and get round-trip a run with its cases', async () => {
  await repo.create(sampleRun({ modelName: 'Acme-Chat', assessment: { passed: false, reasons: ['too low'] } }));
  const got = await repo.get('EV-1');
  expect(got).toEqual(sampleRun({ modelName: 'acme-chat', assessment: { passed: false, reasons: ['too low'] } }));
  expect(got!.startedAt).toBeInstanceOf(Date);
  expect(await repo.get('EV-404')).toBeNull();
});

test('a duplicate runId is a ConflictError', async () => {
  await expect(repo.create(sampleRun())).rejects.toBeInstanceOf(ConflictError);
});

test('latestPassing picks the newest passing run of that model and suite', async () => {
  const at = (h: number) => new Date(Date.UTC(2026, 8, 2, h));
  await repo.create(sampleRun({ runId: 'EV-2', finishedAt: at(1), assessment: { passed: true, reasons: [] } }));
  await repo.create(sampleRun({ runId: 'EV-3', finishedAt: at(3), assessment: { passed: true, reasons: [] } }));
  await repo.create(sampleRun({ runId: 'EV-4', finishedAt: at(5), assessment: { passed: false, reasons: ['x'] } }));
  await repo.create(sampleRun({ runId: 'EV-5', finishedAt: at(6), suite: 'golden', assessment: { passed: true, reasons: [] } }));
  await repo.create(sampleRun({ runId: 'EV-6', finishedAt: at(7), modelName: 'other', assessment: { passed: true, reasons: [] } }));
  expect((await repo.latestPassing('ACME-chat', 'redteam'))!.runId).toBe('EV-3');
  expect(await repo.latestPassing('nobody', 'redteam')).toBeNull();
  expect((await repo.list('acme-chat')).map((r) => r.runId)).toEqual(['EV-5', 'EV-4', 'EV-3', 'EV-2', 'EV-1']);
});
