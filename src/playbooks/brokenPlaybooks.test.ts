/**
 * Broken copies of the default playbooks (written to a temp directory) must be refused with
 * one line per problem naming the file, the path inside it and what is wrong.
 */
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ValidationError } from '../domain/errors';
import { PlaybookError, defaultPlaybooksDir, loadPolicy } from './index';

type Edit = [from: string | RegExp, to: string];
const made: string[] = [];

/** A copy of the default playbooks with edits applied; an edit that changes nothing fails the test. */
function copyPlaybooks(edits: Record<string, Edit[] | null>, into?: string): string {
  const dir = into ?? mkdtempSync(path.join(tmpdir(), 'steward-playbooks-'));
  made.push(dir);
  mkdirSync(dir, { recursive: true });
  cpSync(defaultPlaybooksDir(), dir, { recursive: true, filter: (src) => !src.split(path.sep).includes('evals') });
  for (const [file, list] of Object.entries(edits)) {
    const abs = path.join(dir, file);
    if (list === null) {
      rmSync(abs);
      continue;
    }
    let text = readFileSync(abs, 'utf8');
    for (const [from, to] of list) {
      const next = text.replace(from, to);
      if (next === text) throw new Error(`edit did not apply to ${file}: ${String(from)}`);
      text = next;
    }
    writeFileSync(abs, text);
  }
  return dir;
}

function problemsOf(dir: string): string[] {
  try {
    loadPolicy(dir);
  } catch (e) {
    expect(e).toBeInstanceOf(PlaybookError);
    expect(e).toBeInstanceOf(ValidationError);
    const err = e as PlaybookError;
    expect(err.code).toBe('playbook.invalid');
    expect(err.message).toBe(err.problems.join('\n'));
    return err.problems;
  }
  throw new Error('expected the playbooks to be refused');
}

const lineOf = (dir: string, file: string, needle: string) =>
  readFileSync(path.join(dir, file), 'utf8').split('\n').findIndex((l) => l.includes(needle)) + 1;

afterAll(() => made.forEach((d) => rmSync(d, { recursive: true, force: true })));

it('an untouched copy loads', () => {
  expect(loadPolicy(copyPlaybooks({})).roles).toHaveLength(10);
});

describe('raci.yaml accountable', () => {
  it('refuses two Accountable roles, naming file, path, problem and line', () => {
    const dir = copyPlaybooks({ 'raci.yaml': [['accountable: platform_engineering', 'accountable: [platform_engineering, llmops_engineer]']] });
    const line = lineOf(dir, 'raci.yaml', 'accountable: [platform_engineering');
    expect(problemsOf(dir)).toEqual([
      `${dir}/raci.yaml: areas[2].accountable: expected exactly one role, got 2 (line ${line})`,
    ]);
  });
  it('refuses an empty Accountable list', () => {
    const dir = copyPlaybooks({ 'raci.yaml': [['accountable: ai_governance_legal', 'accountable: []']] });
    expect(problemsOf(dir)).toEqual([expect.stringMatching(/raci\.yaml: areas\[3\]\.accountable: expected exactly one role, got 0 \(line \d+\)$/)]);
  });
  it('accepts a one-element list', () => {
    const dir = copyPlaybooks({ 'raci.yaml': [['accountable: ai_governance_legal', 'accountable: [ai_governance_legal]']] });
    expect(loadPolicy(dir).raci[3]!.accountable).toBe('ai_governance_legal');
  });
});

it('names an unknown role wherever it is used', () => {
  const dir = copyPlaybooks({
    'raci.yaml': [['responsible: [data_science_ml]', 'responsible: [chief_vibes_officer]']],
    'lifecycle.yaml': [['high: { roles: [llm_product_manager, domain_expert, data_science_ml] }', 'high: { roles: [llm_product_manager, domain_expert, data_scientist] }']],
  });
  const problems = problemsOf(dir);
  expect(problems).toHaveLength(2);
  expect(problems).toContainEqual(
    expect.stringContaining(`raci.yaml: areas[0].responsible[0]: unknown role "chief_vibes_officer" (not defined in roles.yaml)`),
  );
  expect(problems).toContainEqual(
    expect.stringContaining(`lifecycle.yaml: gates[1].approvers.high.roles[2]: unknown role "data_scientist"`),
  );
});

it('refuses a role removed from roles.yaml that other files still use', () => {
  const dir = copyPlaybooks({ 'roles.yaml': [[/  - id: ai_coe_admin\n(.*\n){2}/, '']] });
  const problems = problemsOf(dir);
  expect(problems.length).toBeGreaterThan(3);
  expect(problems.every((p) => p.includes('unknown role "ai_coe_admin"'))).toBe(true);
  expect(problems.some((p) => p.includes('raci.yaml: areas[0].informed[0]'))).toBe(true);
  expect(problems.some((p) => p.includes('lifecycle.yaml: gates[0].approvers.transparency.roles[1]'))).toBe(true);
});

describe('framework ids', () => {
  it('names an unknown id, its file and path', () => {
    const dir = copyPlaybooks({
      'controls.yaml': [['nistAiRmf: [GOVERN 1.6, MAP 1.1, MAP 3.3]', 'nistAiRmf: [GOVERN 1.6, MANAGE 4.4, MAP 3.3]']],
      'cadences.yaml': [['frameworks: [GOVERN 1.5, MANAGE 4.1, A.6.2.6]', 'frameworks: [GOVERN 1.5, MANAGE 4.1, A.11.2]']],
      'incidents.yaml': [['owaspLlm: [LLM01:2025]', 'owaspLlm: [LLM01]']],
    });
    const problems = problemsOf(dir);
    expect(problems).toHaveLength(3);
    expect(problems).toContainEqual(
      expect.stringContaining('controls.yaml: controls[0].frameworks.nistAiRmf[1]: unknown NIST AI RMF 1.0 id "MANAGE 4.4"'),
    );
    expect(problems).toContainEqual(expect.stringContaining('cadences.yaml: cadences[2].frameworks[2]: unknown framework id "A.11.2"'));
    expect(problems).toContainEqual(
      expect.stringContaining('incidents.yaml: categories[0].owaspLlm[0]: unknown OWASP Top 10 for LLM Applications 2025 id "LLM01"'),
    );
  });
  it('refuses an id filed under the wrong framework', () => {
    const dir = copyPlaybooks({ 'controls.yaml': [['owaspLlm: [LLM10:2025]', 'owaspLlm: [Art. 15]']] });
    expect(problemsOf(dir)).toEqual([
      expect.stringContaining(
        'frameworks.owaspLlm[0]: "Art. 15" belongs to EU AI Act (Regulation (EU) 2024/1689), not OWASP Top 10 for LLM Applications 2025',
      ),
    ]);
  });
  it('checks legal references in the questionnaire', () => {
    const dir = copyPlaybooks({ 'risk.yaml': [['ref: Annex III 8(b)', 'ref: Annex III 8(c)'], ['ref: Art. 5(1)(h)', 'ref: Art. 5(1)(i)'], ['ref: Art. 50(4)\n    party', 'ref: Art. 50(9)\n    party']] });
    const problems = problemsOf(dir);
    expect(problems).toHaveLength(3);
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/risk\.yaml: questions\[\d+\]\.options\[24\]\.ref: unknown EU AI Act .*"Annex III 8\(c\)"/),
        expect.stringMatching(/risk\.yaml: questions\[\d+\]\.options\[7\]\.ref: unknown EU AI Act .*"Art\. 5\(1\)\(i\)"/),
        expect.stringMatching(/risk\.yaml: questions\[\d+\]\.ref: unknown EU AI Act .*"Art\. 50\(9\)"/),
      ]),
    );
  });
});

describe('lifecycle.yaml gates', () => {
  it('refuses a gate that leaves out a risk tier', () => {
    const dir = copyPlaybooks({ 'lifecycle.yaml': [['      minimal: { roles: [llm_product_manager, domain_expert], quorum: 1 }\n', '']] });
    expect(problemsOf(dir)).toEqual([
      expect.stringMatching(/lifecycle\.yaml: gates\[1\]\.approvers: missing risk tier minimal \(every gate needs prohibited, high, transparency, minimal\) \(line \d+\)$/),
    ]);
  });
  it('refuses a quorum larger than the roles listed, and an unknown stage', () => {
    const dir = copyPlaybooks({
      'lifecycle.yaml': [
        ['transparency: { roles: [llm_product_manager, ai_coe_admin], quorum: 1 }', 'transparency: { roles: [llm_product_manager, ai_coe_admin], quorum: 3 }'],
        ['from: pilot', 'from: piloting'],
      ],
    });
    const problems = problemsOf(dir);
    expect(problems).toHaveLength(2);
    expect(problems).toContainEqual(expect.stringContaining('lifecycle.yaml: gates[0].approvers.transparency.quorum: quorum 3 is more than the 2 role(s) listed'));
    expect(problems).toContainEqual(expect.stringContaining('lifecycle.yaml: gates[4].from: expected one of ideation, prototype'));
    expect(problems.find((p) => p.includes('gates[4].from'))).toContain('got "piloting" (these ids are fixed by Steward)');
  });
  it('refuses a must-include role outside the rule, and more must-include roles than the quorum', () => {
    const dir = copyPlaybooks({
      'lifecycle.yaml': [
        [
          'minimal: { roles: [llmops_engineer, ai_security_specialist, ai_governance_legal], quorum: 2, mustInclude: [ai_security_specialist, ai_governance_legal] }',
          'minimal: { roles: [llmops_engineer, ai_security_specialist, ai_governance_legal], quorum: 1, mustInclude: [ai_security_specialist, domain_expert] }',
        ],
      ],
    });
    const problems = problemsOf(dir);
    expect(problems).toHaveLength(2);
    expect(problems).toContainEqual(
      expect.stringMatching(/lifecycle\.yaml: gates\[2\]\.approvers\.minimal\.mustInclude\[1\]: role "domain_expert" is not one of this rule's roles \(llmops_engineer, ai_security_specialist, ai_governance_legal\) \(line \d+\)$/),
    );
    expect(problems).toContainEqual(expect.stringContaining('gates[2].approvers.minimal.mustInclude: 2 must-include roles need more approvers than the quorum of 1'));
  });
  it('loads mustInclude into the policy', () => {
    expect(loadPolicy(copyPlaybooks({})).lifecycle.gates[4]!.approvers.minimal).toEqual({
      roles: ['llm_product_manager', 'ai_security_specialist', 'ai_governance_legal'],
      quorum: 2,
      mustInclude: ['ai_security_specialist', 'ai_governance_legal'],
    });
  });
  it('accepts a plain list of roles as "all must approve"', () => {
    const dir = copyPlaybooks({ 'lifecycle.yaml': [['minimal: { roles: [ai_security_specialist, platform_engineering] }', 'minimal: [ai_security_specialist, platform_engineering]']] });
    expect(loadPolicy(dir).lifecycle.gates[3]!.approvers.minimal).toEqual({ roles: ['ai_security_specialist', 'platform_engineering'] });
  });
});

it('reports a YAML syntax error with its line, alongside problems in other files', () => {
  const dir = copyPlaybooks({
    'roles.yaml': [['  - id: prompt_engineer\n', '  - id: [prompt_engineer\n']],
    'incidents.yaml': [['general: 15', 'general: fifteen']],
  });
  const problems = problemsOf(dir);
  const line = lineOf(dir, 'roles.yaml', 'id: [prompt_engineer');
  expect(problems.filter((p) => p.includes('roles.yaml'))[0]).toMatch(
    new RegExp(`^${dir}/roles\\.yaml: YAML syntax error: .+ \\(line (${line}|${line + 1})\\)$`),
  );
  expect(problems).toContainEqual(expect.stringContaining('incidents.yaml: serious.deadlinesDays.general: expected number, got "fifteen"'));
  // With roles.yaml unreadable, role checks are skipped rather than flagging every role.
  expect(problems.some((p) => p.includes('unknown role'))).toBe(false);
});

it('allows a shorter Art. 73 deadline but refuses a longer one', () => {
  expect(loadPolicy(copyPlaybooks({ 'incidents.yaml': [['death: 10', 'death: 5']] })).incidents.serious.deadlinesDays.death).toBe(5);
  const dir = copyPlaybooks({ 'incidents.yaml': [['widespread_or_critical_infrastructure: 2', 'widespread_or_critical_infrastructure: 3']] });
  expect(problemsOf(dir)).toEqual([
    expect.stringMatching(
      /incidents\.yaml: serious\.deadlinesDays\.widespread_or_critical_infrastructure: 3 days is longer than the EU AI Act Art\. 73 maximum of 2 days \(line \d+\)$/,
    ),
  ]);
});

it('reports missing files, missing fields and unknown fields', () => {
  const dir = copyPlaybooks({
    'cadences.yaml': null,
    'controls.yaml': [['    evidence: Registration number', '    evidense: Registration number']],
  });
  const problems = problemsOf(dir);
  expect(problems).toContainEqual(`${dir}/cadences.yaml: file not found`);
  expect(problems).toContainEqual(expect.stringMatching(/controls\.yaml: controls\[\d+\]: unknown field "evidense"/));
  expect(problems).toContainEqual(expect.stringMatching(/controls\.yaml: controls\[\d+\]\.evidence: required \(expected string\)/));
});

it('treats regulation.yaml as optional but validates it when present', () => {
  expect(loadPolicy(copyPlaybooks({ 'regulation.yaml': null })).regulation).toBeUndefined();
  const dir = copyPlaybooks({ 'regulation.yaml': [["amended: '2027-12-02'", "amended: '2027-02-30'"], ['datesInForce: amended', 'datesInForce: latest']] });
  const problems = problemsOf(dir);
  expect(problems).toContainEqual(expect.stringContaining('regulation.yaml: datesInForce: expected one of original, amended, got "latest"'));
  expect(problems).toContainEqual(expect.stringContaining('regulation.yaml: applicationDates[4].amended: not a real calendar date'));
});

it('applies a datesInForce override (EU_AI_ACT_DATES), and refuses one with no regulation.yaml to apply to', () => {
  const dir = copyPlaybooks({});
  expect(loadPolicy(dir).regulation!.datesInForce).toBe('amended');
  expect(loadPolicy(dir, { datesInForce: 'original' }).regulation!.datesInForce).toBe('original');
  const originalInFile = copyPlaybooks({ 'regulation.yaml': [['datesInForce: amended', 'datesInForce: original']] });
  expect(loadPolicy(originalInFile, { datesInForce: 'amended' }).regulation!.datesInForce).toBe('amended');
  const none = copyPlaybooks({ 'regulation.yaml': null });
  expect(loadPolicy(none).regulation).toBeUndefined();
  let problems: string[] = [];
  try {
    loadPolicy(none, { datesInForce: 'amended' });
  } catch (e) {
    expect(e).toBeInstanceOf(PlaybookError);
    problems = (e as PlaybookError).problems;
  }
  expect(problems).toEqual([`${none}/regulation.yaml: missing, but EU_AI_ACT_DATES=amended asks for its dates; add the file or unset the variable`]);
});

it('names files relative to the working directory when they are inside it', () => {
  const base = mkdtempSync(path.join(tmpdir(), 'steward-cwd-'));
  made.push(base);
  copyPlaybooks({ 'raci.yaml': [['accountable: platform_engineering', 'accountable: [platform_engineering, llmops_engineer]']] }, path.join(base, 'playbooks'));
  const cwd = process.cwd();
  process.chdir(base);
  try {
    expect(problemsOf('playbooks')[0]).toMatch(/^playbooks\/raci\.yaml: areas\[2\]\.accountable: expected exactly one role, got 2 \(line \d+\)$/);
  } finally {
    process.chdir(cwd);
  }
});
