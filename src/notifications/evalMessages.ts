/**
 * Evaluation outcomes -> messages: the summary to whoever started a passing run; on a failed
 * run, the same card (with the failed cases and why the gate failed) to the model owner, the
 * Accountables of every use case using the model, and the starter. Keys are per run and person.
 */
import { evalRunCard } from '../conversation/cards/evalRun';
import type { Card } from '../conversation/cards/model';
import type { EventOf } from '../domain/events';
import type { OutboundMessage } from '../domain/ports';
import { unique } from '../domain/schedules/recipients';

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

export function evalPassedMessages(e: EventOf<'eval.passed'>): OutboundMessage[] {
  const card = evalRunCard({ modelName: e.modelName, summary: e.summary });
  const text = `Evaluation ${e.runId} of ${e.modelName} on ${e.summary.suite} passed (pass rate ${pct(e.summary.passRate)}).`;
  return unique(e.recipientIds).map((personId) => ({ key: `eval.passed:${e.runId}:${personId}`, to: { personId }, card, text }));
}

export function evalFailedMessages(e: EventOf<'eval.failed'>): OutboundMessage[] {
  const base = evalRunCard({ modelName: e.modelName, summary: e.summary, failures: e.failures });
  // The event carries the first failures only; the count in the card is the run's.
  const sections = (base.sections ?? []).map((s) => (s.title?.startsWith('Failed cases') ? { ...s, title: `Failed cases (${e.failedCount})` } : s));
  const card: Card = {
    ...base,
    text: [`The gate failed: ${e.reasons.join('; ')}.`, e.incidentKey ? `Incident ${e.incidentKey} was opened.` : '']
      .filter(Boolean)
      .join(' '),
    sections,
  };
  const text = `Evaluation ${e.runId} of ${e.modelName} on ${e.summary.suite} failed: ${e.reasons.join('; ')}${e.incidentKey ? ` (${e.incidentKey})` : ''}.`;
  return unique(e.recipientIds).map((personId) => ({ key: `eval.failed:${e.runId}:${personId}`, to: { personId }, card, text }));
}
