/**
 * Reads eval suites from playbooks/evals (*.yaml, *.yml, *.jsonl) and thresholds.yaml.
 * Every problem is reported as one sentence naming the file, the case id and the field path.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { ValidationError } from '../domain/errors';
import type { EvalThresholds } from '../domain/evals/types';
import { suiteSchema, thresholdsFileSchema, type Suite } from './suite.schema';

export const DEFAULT_EVALS_DIR = path.resolve(__dirname, '../../playbooks/evals');
const THRESHOLDS_FILE = 'thresholds.yaml';

interface Issue {
  path: ReadonlyArray<PropertyKey>;
  message: string;
}

/** "cases.3.assertions.0.pattern" becomes: case "refund-window": assertions.0.pattern */
function describeIssue(file: string, raw: unknown, issue: Issue, caseLines?: number[]): string {
  const p = issue.path.map(String);
  let where = '';
  if (p[0] === 'cases' && p[1] !== undefined) {
    const i = Number(p[1]);
    const rawCase = (raw as { cases?: Array<{ id?: unknown }> })?.cases?.[i];
    const id = typeof rawCase?.id === 'string' ? `"${rawCase.id}"` : `#${i + 1}`;
    const line = caseLines?.[i] ? ` (line ${caseLines[i]})` : '';
    where = `case ${id}${line}: `;
    p.splice(0, 2);
  }
  return `${file}: ${where}${p.length ? `${p.join('.')}: ` : ''}${issue.message}`;
}

function fail(file: string, raw: unknown, issues: ReadonlyArray<Issue>, caseLines?: number[]): never {
  const messages = issues.map((i) => describeIssue(file, raw, i, caseLines));
  throw new ValidationError('eval.suite_invalid', messages[0] ?? `${file}: invalid suite`, { file, issues: messages });
}

/** JSONL: one JSON object per line; the first is `{"suite": {header}}`, every other line is a case. */
function parseJsonl(file: string, text: string): { raw: unknown; caseLines: number[] } {
  let header: Record<string, unknown> | undefined;
  const cases: unknown[] = [];
  const caseLines: number[] = [];
  text.split(/\r?\n/).forEach((line, idx) => {
    if (!line.trim()) return;
    let obj: unknown;
    try {
      obj = JSON.parse(line);
    } catch (e) {
      throw new ValidationError('eval.suite_invalid', `${file}: line ${idx + 1}: not valid JSON (${(e as Error).message})`, { file });
    }
    if (!header && obj && typeof obj === 'object' && 'suite' in obj) {
      header = (obj as { suite: Record<string, unknown> }).suite;
    } else if (!header) {
      throw new ValidationError('eval.suite_invalid', `${file}: line ${idx + 1}: the first line must be {"suite": {...}}`, { file });
    } else {
      cases.push(obj);
      caseLines.push(idx + 1);
    }
  });
  if (!header) throw new ValidationError('eval.suite_invalid', `${file}: empty suite file`, { file });
  return { raw: { ...header, cases }, caseLines };
}

export function parseSuite(file: string, text: string): Suite {
  const name = path.basename(file);
  let raw: unknown;
  let caseLines: number[] | undefined;
  if (file.endsWith('.jsonl')) {
    ({ raw, caseLines } = parseJsonl(name, text));
  } else {
    try {
      raw = parseYaml(text);
    } catch (e) {
      throw new ValidationError('eval.suite_invalid', `${name}: not valid YAML (${(e as Error).message.split('\n')[0]})`, { file: name });
    }
  }
  const parsed = suiteSchema.safeParse(raw);
  if (!parsed.success) fail(name, raw, parsed.error.issues, caseLines);
  return parsed.data;
}

export function loadSuiteFile(file: string): Suite {
  return parseSuite(file, readFileSync(file, 'utf8'));
}

/** Every suite in the folder, keyed by suite id (ConflictError-like validation if two share an id). */
export function loadSuites(dir = DEFAULT_EVALS_DIR): Map<string, Suite> {
  const suites = new Map<string, Suite>();
  const files = readdirSync(dir)
    .filter((f) => /\.(ya?ml|jsonl)$/.test(f) && f !== THRESHOLDS_FILE)
    .sort();
  for (const f of files) {
    const suite = loadSuiteFile(path.join(dir, f));
    if (suites.has(suite.id)) {
      throw new ValidationError('eval.suite_invalid', `${f}: id: suite id "${suite.id}" is used by another file`, { file: f });
    }
    suites.set(suite.id, suite);
  }
  return suites;
}

export function parseThresholds(file: string, text: string): Record<string, EvalThresholds> {
  const name = path.basename(file);
  let raw: unknown;
  try {
    raw = parseYaml(text);
  } catch (e) {
    throw new ValidationError('eval.thresholds_invalid', `${name}: not valid YAML (${(e as Error).message.split('\n')[0]})`);
  }
  const parsed = thresholdsFileSchema.safeParse(raw);
  if (!parsed.success) {
    const i = parsed.error.issues[0]!;
    const p = i.path.map(String);
    const where = p[0] === 'suites' && p[1] ? `suite ${p[1]}: ${p.slice(2).join('.')}` : p.join('.');
    throw new ValidationError('eval.thresholds_invalid', `${name}: ${where ? `${where}: ` : ''}${i.message}`);
  }
  return parsed.data.suites;
}

export function loadThresholds(dir = DEFAULT_EVALS_DIR): Record<string, EvalThresholds> {
  const file = path.join(dir, THRESHOLDS_FILE);
  return parseThresholds(file, readFileSync(file, 'utf8'));
}
