/**
 * llm_judge: the prompt sent to the judge model and a forgiving parser for its score.
 * Judges answer in many shapes ("Score: 4/5", {"score": 0.8}, "85%", "0.9"); everything is
 * normalised to 0..1, and no recognisable score is a failed assertion, never a crash.
 */
import { extractJson } from './assertions';

export type JudgeMode = 'faithfulness' | 'rubric';

export interface JudgeRequest {
  mode: JudgeMode;
  question: string;
  answer: string;
  reference?: string;
  rubric?: string;
}

export const JUDGE_SYSTEM_PROMPT =
  'You are a strict evaluator of an AI assistant\'s answer. Reply with JSON only: ' +
  '{"score": <number from 0 to 1>, "reason": "<one sentence>"}.';

export function buildJudgeMessages(req: JudgeRequest): Array<{ role: 'system' | 'user'; content: string }> {
  const task =
    req.mode === 'faithfulness'
      ? 'Score how faithful the ANSWER is to the REFERENCE: 1 means every claim in the answer is supported by the reference; 0 means it contradicts the reference or invents facts.'
      : `Score the ANSWER against this RUBRIC (1 = fully meets it, 0 = not at all):\n${req.rubric ?? ''}`;
  const parts = [task, `QUESTION:\n${req.question}`];
  if (req.reference) parts.push(`REFERENCE:\n${req.reference}`);
  parts.push(`ANSWER:\n${req.answer}`);
  return [
    { role: 'system', content: JUDGE_SYSTEM_PROMPT },
    { role: 'user', content: parts.join('\n\n') },
  ];
}

/** Scales a raw number to 0..1: fractions stay, 1..10 is read as tenths, up to 100 as percent. */
function normalise(n: number, outOf?: number): number | null {
  if (!Number.isFinite(n) || n < 0) return null;
  if (outOf !== undefined) return outOf > 0 && n <= outOf ? n / outOf : null;
  if (n <= 1) return n;
  if (n <= 10) return n / 10;
  if (n <= 100) return n / 100;
  return null;
}

export function parseJudgeScore(text: string): number | null {
  const t = text.trim();
  const json = extractJson(t);
  if (json.ok && json.value && typeof json.value === 'object') {
    const s = (json.value as Record<string, unknown>).score;
    const n = typeof s === 'number' ? s : typeof s === 'string' ? Number(s) : NaN;
    const v = normalise(n);
    if (v !== null) return v;
  }
  const fraction = /(\d+(?:\.\d+)?)\s*(?:\/|out of)\s*(\d+(?:\.\d+)?)/i.exec(t);
  if (fraction) return normalise(Number(fraction[1]), Number(fraction[2]));
  const labelled =
    /score"?\s*(?:is|of)?\s*[:=]?\s*"?(-?\d+(?:\.\d+)?)\s*(%)?/i.exec(t) ?? /^(-?\d+(?:\.\d+)?)\s*(%)?$/.exec(t);
  if (labelled) return labelled[2] ? normalise(Number(labelled[1]), 100) : normalise(Number(labelled[1]));
  return null;
}
