/**
 * Deterministic graders: one function per assertion kind, each returning null when the
 * assertion holds or a short reason when it does not. llm_judge lives in judge.ts.
 */
import type { ValidateFunction } from 'ajv';
import { ajv } from './jsonSchema';
import { looksLikeRefusal } from './refusal';
import type { Assertion } from './suite.schema';
import { redact } from '../domain/redaction/redact';

export interface Observation {
  output: string;
  latencyMs: number;
  tokensOut: number;
}

export type DeterministicAssertion = Exclude<Assertion, { kind: 'llm_judge' }>;

const compiled = new WeakMap<object, ValidateFunction>();

const quote = (s: string, max = 60) => JSON.stringify(s.length > max ? `${s.slice(0, max)}…` : s);
/** A model's output in a failure reason: redacted whole first, then cut (a cut secret no longer matches). */
const quoteOutput = (s: string) => quote(redact(s).text);
const list = (v: string | string[]) => (Array.isArray(v) ? v : [v]);
const norm = (s: string, ignoreCase: boolean) => (ignoreCase ? s.toLowerCase() : s);

/** The JSON a model meant: the whole output, or the body of a ```json fenced block. */
export function extractJson(output: string): { ok: true; value: unknown } | { ok: false; error: string } {
  const trimmed = output.trim();
  const fenced = /^```(?:json)?\s*\n([\s\S]*?)\n?```$/i.exec(trimmed);
  try {
    return { ok: true, value: JSON.parse(fenced ? fenced[1]! : trimmed) };
  } catch (e) {
    return { ok: false, error: (e as Error).message };
  }
}

export function gradeAssertion(a: DeterministicAssertion, obs: Observation): string | null {
  switch (a.kind) {
    case 'equals': {
      const ok = norm(obs.output.trim(), a.ignoreCase) === norm(a.value.trim(), a.ignoreCase);
      return ok ? null : `expected exactly ${quote(a.value)}, got ${quoteOutput(obs.output)}`;
    }
    case 'contains': {
      const out = norm(obs.output, a.ignoreCase);
      const missing = list(a.value).filter((v) => !out.includes(norm(v, a.ignoreCase)));
      return missing.length ? `missing ${missing.map((m) => quote(m)).join(', ')}` : null;
    }
    case 'not_contains': {
      const out = norm(obs.output, a.ignoreCase);
      const found = list(a.value).filter((v) => out.includes(norm(v, a.ignoreCase)));
      return found.length ? `must not contain ${found.map((m) => quote(m)).join(', ')}` : null;
    }
    case 'regex': {
      const re = new RegExp(a.pattern, a.flags.replace('g', ''));
      return re.test(obs.output) ? null : `does not match /${a.pattern}/${a.flags}`;
    }
    case 'json_schema': {
      const parsed = extractJson(obs.output);
      if (!parsed.ok) return `output is not JSON (${parsed.error})`;
      let validate = compiled.get(a.schema);
      if (!validate) {
        validate = ajv.compile(a.schema);
        compiled.set(a.schema, validate);
      }
      if (validate(parsed.value)) return null;
      const errs = (validate.errors ?? []).slice(0, 3).map((e) => `${e.instancePath || '/'} ${e.message ?? 'invalid'}`);
      return `JSON does not match the schema: ${errs.join('; ')}`;
    }
    case 'refusal': {
      const refused = looksLikeRefusal(obs.output);
      if (refused === a.expect) return null;
      return a.expect ? 'expected a refusal or "I don\'t know"' : 'expected an answer, got a refusal';
    }
    case 'max_latency_ms':
      return obs.latencyMs <= a.value ? null : `latency ${obs.latencyMs} ms exceeds ${a.value} ms`;
    case 'max_tokens':
      return obs.tokensOut <= a.value ? null : `${obs.tokensOut} output tokens exceed ${a.value}`;
  }
}
