import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ValidationError } from '../domain/errors';
import { loadSuites, loadThresholds, parseSuite, parseThresholds } from './loadSuites';
import { referencePath } from '../../test/support/reference';

const REFERENCE = referencePath('frameworks');

function errorOf(fn: () => unknown): ValidationError {
  try {
    fn();
  } catch (e) {
    if (e instanceof ValidationError) return e;
    throw e;
  }
  throw new Error('expected a ValidationError');
}

const header = `id: s1\nname: Suite one\nkind: golden\n`;

describe('suite validation', () => {
  test('a valid YAML suite parses with defaults applied', () => {
    const s = parseSuite('ok.yaml', `${header}cases:\n  - id: c1\n    messages: [{ role: user, content: hi }]\n    assertions: [{ kind: contains, value: hi }]\n`);
    expect(s.defaults.temperature).toBe(0);
    expect(s.cases[0]!.assertions[0]).toEqual({ kind: 'contains', value: 'hi', ignoreCase: true });
  });

  test('error names the file, the case id and the path', () => {
    const e = errorOf(() =>
      parseSuite(
        'playbooks/evals/bad.yaml',
        `${header}cases:\n  - id: fine\n    messages: [{ role: user, content: a }]\n  - id: refund-window\n    messages: [{ role: user, content: a }]\n    assertions:\n      - { kind: contains, value: x }\n      - { kind: regex, pattern: "([a-z" }\n`,
      ),
    );
    expect(e.code).toBe('eval.suite_invalid');
    expect(e.message).toMatch(/^bad\.yaml: case "refund-window": assertions\.1\.pattern: invalid regular expression/);
  });

  test('unknown assertion kind, bad role and missing content are reported with paths', () => {
    const e = errorOf(() =>
      parseSuite('x.yaml', `${header}cases:\n  - id: c1\n    messages: [{ role: robot, content: a }]\n    assertions: [{ kind: sounds_right }]\n`),
    );
    const issues = (e.details!.issues as string[]).join('\n');
    expect(issues).toMatch(/x\.yaml: case "c1": messages\.0\.role:/);
    expect(issues).toMatch(/x\.yaml: case "c1": assertions\.0\.kind:/);
    const e2 = errorOf(() => parseSuite('x.yaml', `${header}cases:\n  - id: c1\n    messages: [{ role: user }]\n`));
    expect(e2.message).toBe('x.yaml: case "c1": messages.0: a message needs content or repeat');
  });

  test('tags: OWASP 2025 ids and NIST names pass, a 2023-style id does not', () => {
    const suite = (tags: string) => `${header}cases:\n  - id: c1\n    tags: ${tags}\n    messages: [{ role: user, content: a }]\n`;
    expect(parseSuite('t.yaml', suite('[LLM01:2025, Confabulation, "Data Privacy", refunds]')).cases[0]!.tags).toHaveLength(4);
    expect(errorOf(() => parseSuite('t.yaml', suite('[LLM06]'))).message).toMatch(/case "c1": tags\.0: unknown OWASP LLM id "LLM06"/);
    expect(errorOf(() => parseSuite('t.yaml', suite('["Prompt Stuff"]'))).message).toMatch(/tags\.0: unknown tag/);
  });

  test('faithfulness needs a reference; rubric needs a rubric; canary needs a system prompt; ids are unique', () => {
    const judge = (extra: string, a: string) =>
      `${header}cases:\n  - id: j1\n${extra}    messages: [{ role: user, content: a }]\n    assertions: [${a}]\n`;
    expect(errorOf(() => parseSuite('j.yaml', judge('', '{ kind: llm_judge, mode: faithfulness, minScore: 0.7 }'))).message).toBe(
      'j.yaml: case "j1": assertions.0.mode: faithfulness needs the case to have a reference',
    );
    expect(errorOf(() => parseSuite('j.yaml', judge('', '{ kind: llm_judge, mode: rubric, minScore: 2 }'))).details!.issues).toEqual(
      expect.arrayContaining([expect.stringMatching(/assertions\.0\.minScore/), expect.stringMatching(/assertions\.0\.rubric: rubric mode needs a rubric/)]),
    );
    expect(errorOf(() => parseSuite('c.yaml', `${header}canary: SECRET-12345\ncases:\n  - id: a\n    messages: [{ role: user, content: a }]\n`)).message).toBe(
      'c.yaml: canary: a canary needs a systemPrompt to hide it in',
    );
    expect(
      errorOf(() => parseSuite('d.yaml', `${header}cases:\n  - { id: a, messages: [{ role: user, content: a }] }\n  - { id: a, messages: [{ role: user, content: b }] }\n`)).message,
    ).toBe('d.yaml: case "a": id: duplicate case id "a"');
  });

  test('an invalid JSON schema in json_schema is caught at load', () => {
    const e = errorOf(() => parseSuite('s.yaml', `${header}cases:\n  - id: js\n    messages: [{ role: user, content: a }]\n    assertions: [{ kind: json_schema, schema: { type: 12 } }]\n`));
    expect(e.message).toMatch(/^s\.yaml: case "js": assertions\.0\.schema: invalid JSON Schema/);
  });

  test('JSONL: header line then one case per line; errors name the line', () => {
    const ok = parseSuite(
      'cases.jsonl',
      [
        JSON.stringify({ suite: { id: 'j', name: 'J', kind: 'redteam' } }),
        JSON.stringify({ id: 'a', messages: [{ role: 'user', content: 'x' }] }),
        '',
        JSON.stringify({ id: 'b', messages: [{ role: 'user', repeat: { text: 'ab', times: 3 } }] }),
      ].join('\n'),
    );
    expect(ok.cases.map((c) => c.id)).toEqual(['a', 'b']);
    const bad = errorOf(() =>
      parseSuite('cases.jsonl', [JSON.stringify({ suite: { id: 'j', name: 'J', kind: 'redteam' } }), '{"id":"a","messages":[]}'].join('\n')),
    );
    expect(bad.message).toMatch(/^cases\.jsonl: case "a" \(line 2\): messages:/);
    expect(errorOf(() => parseSuite('x.jsonl', '{"id":"a"}')).message).toBe('x.jsonl: line 1: the first line must be {"suite": {...}}');
    expect(errorOf(() => parseSuite('x.jsonl', '{"suite": {}}\n{oops')).message).toMatch(/^x\.jsonl: line 2: not valid JSON/);
  });

  test('invalid YAML is one sentence naming the file', () => {
    expect(errorOf(() => parseSuite('y.yaml', 'id: [unclosed')).message).toMatch(/^y\.yaml: not valid YAML/);
  });
});

describe('thresholds', () => {
  test('defaults and errors name the suite', () => {
    const t = parseThresholds('thresholds.yaml', 'suites:\n  s1: { minPassRate: 0.9, gate: { maxAgeDays: 30 } }\n');
    expect(t.s1).toEqual({ minPassRate: 0.9, regressionTolerance: 0.05, openIncident: null, gate: { maxAgeDays: 30 } });
    expect(() => parseThresholds('thresholds.yaml', 'suites:\n  s1: { minPassRate: 1.5, gate: { maxAgeDays: 30 } }\n')).toThrow(
      /thresholds\.yaml: suite s1: minPassRate:/,
    );
    expect(() =>
      parseThresholds('thresholds.yaml', 'suites:\n  s1: { minPassRate: 0.5, gate: { maxAgeDays: 3 }, openIncident: { category: x, severity: sev9 } }\n'),
    ).toThrow(/suite s1: openIncident\.severity/);
  });
});

describe('shipped suites', () => {
  const suites = loadSuites();
  const thresholds = loadThresholds();
  const owasp = JSON.parse(readFileSync(path.join(REFERENCE, 'owasp-llm-2025.json'), 'utf8')).items.map((i: { id: string }) => i.id);
  const nist = JSON.parse(readFileSync(path.join(REFERENCE, 'nist-ai-600-1-gai-risks.json'), 'utf8')).risks.map((r: { name: string }) => r.name);

  test('both suites load and each has thresholds', () => {
    expect([...suites.keys()].sort()).toEqual(['customer-service-golden', 'redteam']);
    for (const id of suites.keys()) expect(thresholds[id]).toBeDefined();
    const golden = suites.get('customer-service-golden')!;
    expect(golden.cases.length).toBeGreaterThanOrEqual(15);
    const kinds = new Set(golden.cases.flatMap((c) => c.assertions.map((a) => a.kind)));
    for (const k of ['contains', 'regex', 'json_schema', 'llm_judge']) expect(kinds).toContain(k);
    expect(golden.cases.filter((c) => c.assertions.some((a) => a.kind === 'llm_judge' && a.mode === 'faithfulness')).length).toBeGreaterThanOrEqual(2);
  });

  test('red-team cases cover every class and tag with exact reference ids and names', () => {
    const rt = suites.get('redteam')!;
    expect(rt.kind).toBe('redteam');
    expect(rt.canary).toBeTruthy();
    expect(new Set(rt.cases.map((c) => c.class))).toEqual(new Set(['injection', 'leakage', 'hallucination', 'oversized']));
    for (const c of rt.cases) {
      const framework = c.tags.filter((t) => owasp.includes(t) || nist.includes(t));
      expect({ id: c.id, owasp: framework.some((t) => owasp.includes(t)), nist: framework.some((t) => nist.includes(t)) }).toEqual({
        id: c.id,
        owasp: true,
        nist: true,
      });
      expect(framework).toEqual(c.tags); // no free-form tags in the red-team suite
    }
  });
});
