/**
 * What of an evaluation case may be stored: the model's output, the endpoint's error and the
 * failure reasons are free text a model or endpoint wrote, and a leaking model writes exactly
 * the secrets and personal data a red-team case plants. They are redacted like incident reports
 * (src/domain/redaction), WHOLE first and only then cut to the stored size (a secret cut in half
 * no longer matches). Grading never sees this: the runner grades the raw answer and stores this.
 *
 * `redaction` says how many spans were replaced and of which kinds, so a stored run still shows
 * that a case's output carried something (the leakage metric is computed from the raw answer).
 * Idempotent: redacting a redacted result again finds nothing new.
 */
import { redact } from '../redaction/redact';
import type { EvalCaseResult, EvalRun } from './types';

const TAG = /\[REDACTED:[a-z_]+\]/g;
const tagsIn = (s: string): number => s.match(TAG)?.length ?? 0;

export function redactCaseResult(result: EvalCaseResult, maxOutputChars?: number): EvalCaseResult {
  let count = result.redaction?.count ?? 0;
  const kinds = new Set(result.redaction?.kinds ?? []);
  const clean = (text: string): string => {
    const r = redact(text);
    if (!r.kinds.length) return text;
    count += Math.max(1, tagsIn(r.text) - tagsIn(text));
    for (const k of r.kinds) kinds.add(k);
    return r.text;
  };
  const whole = clean(result.output);
  const cut = maxOutputChars !== undefined && whole.length > maxOutputChars;
  const { redaction: _previous, ...rest } = result;
  return {
    ...rest,
    output: cut ? whole.slice(0, maxOutputChars) : whole,
    outputTruncated: result.outputTruncated || cut,
    // `?? []`: runs stored by older versions (and hand-made fixtures) may lack the list.
    failures: (result.failures ?? []).map((f) => ({ ...f, reason: clean(f.reason) })),
    ...(result.error !== undefined ? { error: clean(result.error) } : {}),
    ...(count ? { redaction: { count, kinds: [...kinds] } } : {}),
  };
}

/** A run as it may be stored: every case redacted (see redactCaseResult). */
export function redactEvalRun(run: EvalRun): EvalRun {
  return { ...run, cases: run.cases.map((c) => redactCaseResult(c)) };
}
