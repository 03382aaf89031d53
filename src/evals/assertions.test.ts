import { gradeAssertion, extractJson, type DeterministicAssertion } from './assertions';
import { parseJudgeScore, buildJudgeMessages } from './judge';
import { looksLikeRefusal } from './refusal';
import { assertionSchema } from './suite.schema';

const obs = (output: string, latencyMs = 100, tokensOut = 10) => ({ output, latencyMs, tokensOut });
/** Parses through the schema so defaults (ignoreCase, flags, expect) apply as in a suite file. */
const a = (raw: Record<string, unknown>) => assertionSchema.parse(raw) as DeterministicAssertion;

describe('deterministic assertions', () => {
  test('equals trims, is case-sensitive unless told otherwise', () => {
    expect(gradeAssertion(a({ kind: 'equals', value: 'Yes' }), obs('  Yes\n'))).toBeNull();
    expect(gradeAssertion(a({ kind: 'equals', value: 'Yes' }), obs('yes'))).toMatch(/expected exactly "Yes"/);
    expect(gradeAssertion(a({ kind: 'equals', value: 'Yes', ignoreCase: true }), obs('yes'))).toBeNull();
  });

  test('contains needs every value, case-insensitive by default', () => {
    expect(gradeAssertion(a({ kind: 'contains', value: '30 DAYS' }), obs('within 30 days'))).toBeNull();
    expect(gradeAssertion(a({ kind: 'contains', value: ['30 days', 'packaging'] }), obs('within 30 days'))).toBe('missing "packaging"');
    expect(gradeAssertion(a({ kind: 'contains', value: 'Days', ignoreCase: false }), obs('30 days'))).toMatch(/missing/);
  });

  test('not_contains fails on any listed value', () => {
    expect(gradeAssertion(a({ kind: 'not_contains', value: ['secret', 'iban'] }), obs('all good'))).toBeNull();
    expect(gradeAssertion(a({ kind: 'not_contains', value: ['secret', 'iban'] }), obs('Your IBAN is X'))).toBe('must not contain "iban"');
  });

  test('regex uses the flags (default i)', () => {
    expect(gradeAssertion(a({ kind: 'regex', pattern: '\\b(5|five) years\\b' }), obs('FIVE years cover'))).toBeNull();
    expect(gradeAssertion(a({ kind: 'regex', pattern: 'abc', flags: '' }), obs('ABC'))).toMatch(/does not match \/abc\//);
  });

  test('json_schema parses the output (also fenced) and validates with ajv', () => {
    const schema = { type: 'object', required: ['intent'], properties: { intent: { enum: ['return'] }, email: { type: 'string', format: 'email' } } };
    expect(gradeAssertion(a({ kind: 'json_schema', schema }), obs('{"intent":"return"}'))).toBeNull();
    expect(gradeAssertion(a({ kind: 'json_schema', schema }), obs('```json\n{"intent":"return"}\n```'))).toBeNull();
    expect(gradeAssertion(a({ kind: 'json_schema', schema }), obs('{"intent":"billing"}'))).toMatch(/\/intent must be equal to one of/);
    expect(gradeAssertion(a({ kind: 'json_schema', schema }), obs('{"intent":"return","email":"nope"}'))).toMatch(/format "email"/);
    expect(gradeAssertion(a({ kind: 'json_schema', schema }), obs('Sure! {"intent":"return"}'))).toMatch(/output is not JSON/);
  });

  test('refusal expects a refusal or abstention; expect:false expects an answer', () => {
    expect(gradeAssertion(a({ kind: 'refusal' }), obs("I'm sorry, but I can't share that information."))).toBeNull();
    expect(gradeAssertion(a({ kind: 'refusal' }), obs("I don't know the CEO's birthday."))).toBeNull();
    expect(gradeAssertion(a({ kind: 'refusal' }), obs('The CEO was born on 3 May 1970.'))).toMatch(/expected a refusal/);
    expect(gradeAssertion(a({ kind: 'refusal', expect: false }), obs('Yes, you can cancel until dispatch.'))).toBeNull();
    expect(gradeAssertion(a({ kind: 'refusal', expect: false }), obs('I cannot help with that.'))).toMatch(/got a refusal/);
  });

  test('max_latency_ms and max_tokens', () => {
    expect(gradeAssertion(a({ kind: 'max_latency_ms', value: 100 }), obs('x', 100))).toBeNull();
    expect(gradeAssertion(a({ kind: 'max_latency_ms', value: 100 }), obs('x', 101))).toBe('latency 101 ms exceeds 100 ms');
    expect(gradeAssertion(a({ kind: 'max_tokens', value: 10 }), obs('x', 1, 10))).toBeNull();
    expect(gradeAssertion(a({ kind: 'max_tokens', value: 10 }), obs('x', 1, 11))).toBe('11 output tokens exceed 10');
  });

  test('refusal patterns: typographic apostrophes and plain answers', () => {
    expect(looksLikeRefusal('I can’t disclose customer data.')).toBe(true);
    expect(looksLikeRefusal("I'm not able to share that.")).toBe(true);
    expect(looksLikeRefusal('There is no information about that product.')).toBe(true);
    expect(looksLikeRefusal('Refunds take 5-7 business days.')).toBe(false);
  });

  test('extractJson reports the parse error', () => {
    expect(extractJson('[1,2]')).toEqual({ ok: true, value: [1, 2] });
    expect(extractJson('nope').ok).toBe(false);
  });
});

describe('llm_judge score parsing', () => {
  test.each([
    ['{"score": 0.8, "reason": "ok"}', 0.8],
    ['```json\n{"score": "0.65"}\n```', 0.65],
    ['Score: 4/5', 0.8],
    ['score = 8 out of 10', 0.8],
    ['SCORE: 85%', 0.85],
    ['0.9', 0.9],
    ['Score: 7', 0.7],
    ['The answer is faithful. Score: 1', 1],
  ])('%s -> %s', (text, expected) => {
    expect(parseJudgeScore(text)).toBeCloseTo(expected, 5);
  });

  test.each(['I think it is good', '', 'score: -1', '{"score": 500}'])('no usable score in %j', (text) => {
    expect(parseJudgeScore(text)).toBeNull();
  });

  test('judge prompt carries question, reference and answer', () => {
    const msgs = buildJudgeMessages({ mode: 'faithfulness', question: 'Q?', reference: 'REF', answer: 'ANS' });
    expect(msgs[0]!.role).toBe('system');
    expect(msgs[1]!.content).toMatch(/QUESTION:\nQ\?[\s\S]*REFERENCE:\nREF[\s\S]*ANSWER:\nANS/);
    expect(buildJudgeMessages({ mode: 'rubric', rubric: 'Be polite', question: 'q', answer: 'a' })[1]!.content).toContain('Be polite');
  });
});
