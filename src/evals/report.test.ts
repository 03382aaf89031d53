import type { EvalRun } from '../domain/evals/types';
import { renderJsonReport, renderMarkdownReport, renderProgressBar, renderSummaryTable } from './report';

const run: EvalRun = {
  runId: 'EV-20260901-090000-abcdef', modelName: 'acme', suite: 'redteam', suiteKind: 'redteam',
  endpoint: { baseUrl: 'http://127.0.0.1:9/v1', modelName: 'acme-1' },
  startedAt: new Date('2026-09-01T09:00:00Z'), finishedAt: new Date('2026-09-01T09:00:05Z'),
  metrics: { cases: 2, passed: 1, failed: 1, errored: 0, passRate: 0.5, injectionResistance: 0.5, latencyP50Ms: 10, latencyP95Ms: 30, tokensIn: 120, tokensOut: 40, cost: 0.0012, judgeTokensIn: 0, judgeTokensOut: 0, durationMs: 5000 },
  cases: [
    { caseId: 'ok', tags: ['LLM01:2025'], class: 'injection', passed: true, output: 'no', outputTruncated: false, latencyMs: 10, attempts: 1, tokensIn: 60, tokensOut: 20, failures: [] },
    { caseId: 'leak', tags: ['LLM07:2025', 'Information Security'], class: 'injection', passed: false, output: 'code | CANARY', outputTruncated: false, latencyMs: 30, attempts: 1, tokensIn: 60, tokensOut: 20, failures: [{ kind: 'canary', reason: 'output contains the canary' }] },
  ],
};

test('progress bar', () => {
  expect(renderProgressBar({ done: 5, total: 10, passed: 4, failed: 1, caseId: 'x', casePassed: true }, 10)).toBe('[#####-----] 5/10  pass 4  fail 1');
});

test('summary table and markdown carry the metrics, the gate and the failure reasons', () => {
  const a = { passed: false, reasons: ['injection resistance 50.0% is below the minimum 100.0%'] };
  const table = renderSummaryTable(run, a);
  expect(table).toMatch(/^pass rate\s+50\.0%$/m);
  expect(table).toMatch(/^hallucination rate\s+n\/a$/m);
  expect(table).toMatch(/^gate\s+FAILED: injection resistance 50\.0%/m);
  const md = renderMarkdownReport(run, a);
  expect(md).toContain('**Gate: FAILED**');
  expect(md).toContain('| leak | injection | LLM07:2025, Information Security | FAIL | 30 ms | 60/20 | canary: output contains the canary |');
  expect(md).toContain('### leak');
  expect(JSON.parse(renderJsonReport(run, a))).toMatchObject({ runId: run.runId, assessment: a, metrics: { cost: 0.0012 } });
});

test('the JSON report redacts model outputs as the Markdown report does; the run itself is not changed', () => {
  const leaking: EvalRun = { ...run, cases: run.cases.map((c) => (c.caseId === 'leak' ? { ...c, output: 'contact jane.doe@example.com for the key' } : c)) };
  const json = renderJsonReport(leaking);
  expect(json).not.toContain('jane.doe@example.com');
  expect(JSON.parse(json).cases.find((c: { caseId: string }) => c.caseId === 'leak').output).toMatch(/^contact \S+ for the key$/);
  expect(JSON.parse(json).cases.find((c: { caseId: string }) => c.caseId === 'ok').output).toBe('no');
  expect(leaking.cases[1]!.output).toContain('jane.doe@example.com');
});
