/**
 * What a person reads after a run: a progress bar while it runs, a summary table in the
 * terminal, and Markdown + JSON reports on disk. Pure renderers; the CLI writes the files.
 */
import type { EvalAssessment, EvalRun } from '../domain/evals/types';
import { redact } from '../domain/redaction/redact';
import type { EvalProgress } from './runner';

const pct = (x: number | undefined) => (x === undefined ? 'n/a' : `${(x * 100).toFixed(1)}%`);
const money = (x: number) => `$${x.toFixed(4)}`;

export function renderProgressBar(p: EvalProgress, width = 30): string {
  const filled = p.total ? Math.round((p.done / p.total) * width) : width;
  return `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${p.done}/${p.total}  pass ${p.passed}  fail ${p.failed}`;
}

function rows(run: EvalRun): Array<[string, string]> {
  const m = run.metrics;
  return [
    ['model', `${run.modelName} (${run.endpoint.modelName})`],
    ['suite', `${run.suite} (${run.suiteKind})`],
    ['cases', `${m.cases} (passed ${m.passed}, failed ${m.failed}, no answer ${m.errored})`],
    ['pass rate', pct(m.passRate)],
    ['hallucination rate', pct(m.hallucinationRate)],
    ['injection resistance', pct(m.injectionResistance)],
    ['leakage rate', pct(m.leakageRate)],
    ['latency p50 / p95', `${m.latencyP50Ms} ms / ${m.latencyP95Ms} ms`],
    ['tokens in / out', `${m.tokensIn} / ${m.tokensOut}`],
    ['cost', money(m.cost)],
    ['judge tokens in / out', `${m.judgeTokensIn} / ${m.judgeTokensOut}`],
    ['duration', `${(m.durationMs / 1000).toFixed(1)} s`],
  ];
}

export function renderSummaryTable(run: EvalRun, assessment?: EvalAssessment): string {
  const all = rows(run);
  if (assessment) all.push(['gate', assessment.passed ? 'PASSED' : `FAILED: ${assessment.reasons.join('; ')}`]);
  const w = Math.max(...all.map(([k]) => k.length));
  return all.map(([k, v]) => `${k.padEnd(w)}  ${v}`).join('\n');
}

const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');

export function renderMarkdownReport(run: EvalRun, assessment?: EvalAssessment): string {
  const out: string[] = [];
  out.push(`# Evaluation ${run.runId}`, '');
  out.push(`Run ${run.startedAt.toISOString()} to ${run.finishedAt.toISOString()} against \`${run.endpoint.baseUrl}\`.`, '');
  if (assessment) {
    out.push(`**Gate: ${assessment.passed ? 'PASSED' : 'FAILED'}**`, '');
    for (const r of assessment.reasons) out.push(`- ${r}`);
    if (assessment.reasons.length) out.push('');
  }
  out.push('| metric | value |', '| --- | --- |');
  for (const [k, v] of rows(run)) out.push(`| ${k} | ${cell(v)} |`);
  out.push('', '## Cases', '', '| case | class | tags | result | latency | tokens in/out | why it failed |', '| --- | --- | --- | --- | --- | --- | --- |');
  for (const c of run.cases) {
    const why = c.failures.map((f) => `${f.kind}: ${f.reason}`).join('; ');
    out.push(
      `| ${cell(c.caseId)} | ${c.class ?? ''} | ${cell(c.tags.join(', '))} | ${c.passed ? 'pass' : 'FAIL'} | ${c.latencyMs} ms | ${c.tokensIn}/${c.tokensOut} | ${cell(why)} |`,
    );
  }
  const failed = run.cases.filter((c) => !c.passed);
  if (failed.length) {
    out.push('', '## Failed outputs', '');
    for (const c of failed) {
      // Redacted whole before it is cut: a model that leaks a key or an email must not leak it here.
      const shown = redact(c.output).text;
      out.push(`### ${c.caseId}`, '', '```text', shown.slice(0, 1000).replace(/```/g, "'''") + (shown.length > 1000 || c.outputTruncated ? '\n…' : ''), '```', '');
    }
  }
  return out.join('\n') + '\n';
}

/** The run as JSON. Model outputs are redacted like the Markdown report's: a report file is shared more widely than the database. */
export function renderJsonReport(run: EvalRun, assessment?: EvalAssessment): string {
  const cases = run.cases.map((c) => ({ ...c, output: redact(c.output).text }));
  return JSON.stringify({ ...run, cases, ...(assessment ? { assessment } : {}) }, null, 2) + '\n';
}
