/** The summary posted after an evaluation run. */
import type { EvalSummary } from '../../domain/types';
import { SHOW_MODEL_ACTION_ID } from '../actions';
import { clip, formatDate } from './format';
import type { Card } from './model';
import { evalSummaryFields } from './models';

export const FAILED_CASES_SHOWN = 15;

export interface EvalRunInput {
  modelName: string;
  summary: EvalSummary;
  /** Cases that failed, with why (the grader's note); only the first few are listed. */
  failures?: readonly { id: string; note: string }[];
}

export function evalRunCard({ modelName, summary, failures = [] }: EvalRunInput): Card {
  const shown = failures.slice(0, FAILED_CASES_SHOWN);
  return {
    title: `Evaluation ${summary.passed ? 'passed' : 'failed'}: ${modelName} · ${summary.suite}`,
    badge: summary.passed ? { label: 'Passed', tone: 'good' } : { label: 'Failed', tone: 'danger' },
    fields: evalSummaryFields(summary),
    sections: shown.length
      ? [
          {
            title: `Failed cases (${failures.length})`,
            text: [...shown.map((f) => `✗ ${f.id}: ${clip(f.note, 200)}`), failures.length > shown.length ? `… and ${failures.length - shown.length} more in the report` : '']
              .filter(Boolean)
              .join('\n'),
          },
        ]
      : [],
    buttons: [{ label: 'Model card', actionId: SHOW_MODEL_ACTION_ID, value: modelName }],
    context: `Run ${summary.runId} · ${formatDate(summary.at)}`,
  };
}
