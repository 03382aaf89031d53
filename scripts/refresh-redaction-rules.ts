/**
 * Regenerates src/domain/redaction/rules/gitleaks.json, the secret rules the redactor uses,
 * from gitleaks' default rule list (MIT, vendored beside it with its LICENSE):
 *
 *   npx tsx scripts/refresh-redaction-rules.ts              # from the vendored gitleaks.toml
 *   npx tsx scripts/refresh-redaction-rules.ts --download   # newest release via `go mod download`
 *   npx tsx scripts/refresh-redaction-rules.ts --from <dir of github.com/zricethezav/gitleaks/v8@vX>
 *
 * gitleaks' patterns are Go (RE2) regular expressions: each is translated (goRegex.ts) and
 * compiled; a rule that does not translate, that matches file paths rather than text, or
 * that is slow in JavaScript's backtracking engine on adversarial input is skipped, and every
 * skip is counted and logged (and kept in the JSON's `skipped`). Nothing here runs at request time.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { goToJs, type JsRegex } from './redactionRules/goRegex';
import { parseGitleaksToml, type TomlTable, type TomlValue } from './redactionRules/toml';

const ROOT = path.resolve(__dirname, '..');
export const RULES_DIR = path.join(ROOT, 'src/domain/redaction/rules');
const MODULE = 'github.com/zricethezav/gitleaks/v8';
/** A rule slower than this on one adversarial input of 10,000 characters is left out. */
const SLOW_MS = 50;

interface Allowlist {
  target: 'secret' | 'match' | 'line';
  regexes: JsRegex[];
  stopwords: string[];
}
export interface GeneratedRule {
  id: string;
  regex: JsRegex;
  entropy?: number;
  secretGroup?: number;
  keywords: string[];
  allowlists: Allowlist[];
}
export interface GeneratedRules {
  source: { module: string; version: string; file: string };
  global: { regexes: JsRegex[]; stopwords: string[] };
  rules: GeneratedRule[];
  skipped: Array<{ id: string; reason: string }>;
}

const strings = (v: TomlValue | undefined): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

function compile(go: string): JsRegex {
  const js = goToJs(go);
  new RegExp(js.source, js.flags); // throws when JavaScript cannot compile it
  return js;
}

/** Inputs that make a backtracking engine work hard: each keyword followed by long runs. */
function adversarialInputs(keywords: string[]): string[] {
  const words = keywords.length ? keywords.slice(0, 3) : ['key'];
  return words.flatMap((k) => [
    `${k} = ${'a'.repeat(10_000)}!`,
    `${k}${' '.repeat(5_000)}=${'-'.repeat(5_000)}`,
    `${k}:${'a1_'.repeat(3_300)}`,
    `${`${k}\n`.repeat(2_000)}`,
    `${`${k} -H `.repeat(1_500)}`,
    `${k} ${'aA0.'.repeat(2_500)}`,
  ]);
}

/** The slowest input's time, each the best of three runs (a busy machine slows single runs). */
function slowest(re: RegExp, inputs: string[]): number {
  let worst = 0;
  for (const input of inputs) {
    const g = new RegExp(re.source, `${re.flags.replace('g', '')}g`);
    let best = Infinity;
    for (let run = 0; run < 3; run++) {
      const t0 = performance.now();
      for (const _ of input.matchAll(g)) void _;
      best = Math.min(best, performance.now() - t0);
      if (best <= SLOW_MS) break; // fast enough once: no need to run again
    }
    worst = Math.max(worst, best);
  }
  return worst;
}

function allowlistsOf(table: TomlTable[], log: (s: string) => void, id: string): Allowlist[] {
  const out: Allowlist[] = [];
  for (const a of table) {
    // An AND allowlist with paths needs a file path to be met; free text has none.
    if (a.condition === 'AND' && (a.paths !== undefined || a.path !== undefined)) continue;
    const regexes: JsRegex[] = [];
    for (const r of strings(a.regexes)) {
      try {
        regexes.push(compile(r));
      } catch (e) {
        log(`  ${id}: allowlist regex dropped (${(e as Error).message})`);
      }
    }
    const stopwords = strings(a.stopwords).map((w) => w.toLowerCase());
    if (!regexes.length && !stopwords.length) continue;
    const target = a.regexTarget === 'match' || a.regexTarget === 'line' ? a.regexTarget : 'secret';
    out.push({ target, regexes, stopwords });
  }
  return out;
}

export function generate(tomlText: string, version: string, log: (s: string) => void = console.log): GeneratedRules {
  const doc = parseGitleaksToml(tomlText);
  const skipped: GeneratedRules['skipped'] = [];
  const rules: GeneratedRule[] = [];
  for (const r of doc.rules) {
    const id = String(r.id);
    if (typeof r.path === 'string') {
      skipped.push({ id, reason: 'matches file paths, not text' });
      continue;
    }
    if (typeof r.regex !== 'string') {
      skipped.push({ id, reason: 'has no regex' });
      continue;
    }
    let regex: JsRegex;
    try {
      regex = compile(r.regex);
    } catch (e) {
      skipped.push({ id, reason: `does not translate to JavaScript: ${(e as Error).message}` });
      continue;
    }
    const keywords = strings(r.keywords).map((k) => k.toLowerCase());
    const ms = slowest(new RegExp(regex.source, regex.flags), adversarialInputs(keywords));
    if (ms > SLOW_MS) {
      // The figure goes to the log only, so the JSON does not change with the machine's load.
      log(`  ${id}: ${Math.round(ms)} ms on an adversarial input`);
      skipped.push({ id, reason: `slow in a backtracking engine (over ${SLOW_MS} ms on 10,000 characters)` });
      continue;
    }
    rules.push({
      id,
      regex,
      ...(typeof r.entropy === 'number' ? { entropy: r.entropy } : {}),
      ...(typeof r.secretGroup === 'number' ? { secretGroup: r.secretGroup } : {}),
      keywords,
      allowlists: allowlistsOf(r.allowlists, log, id),
    });
  }
  const global = { regexes: strings(doc.allowlist.regexes).map(compile), stopwords: strings(doc.allowlist.stopwords).map((w) => w.toLowerCase()) };
  for (const s of skipped) log(`  skipped ${s.id}: ${s.reason}`);
  log(`gitleaks ${version}: ${doc.rules.length} rules, ${rules.length} kept, ${skipped.length} skipped`);
  return { source: { module: MODULE, version, file: 'config/gitleaks.toml' }, global, rules, skipped };
}

/** `go mod download` of the newest release into a temporary module cache; returns its directory. */
function download(): string {
  const work = mkdtempSync(path.join(tmpdir(), 'gitleaks-'));
  const out = execFileSync('go', ['mod', 'download', '-json', `${MODULE}@latest`], {
    cwd: work,
    env: { ...process.env, GOFLAGS: '-mod=mod', GOPATH: path.join(work, 'gopath') },
    encoding: 'utf8',
  });
  return (JSON.parse(out) as { Dir: string }).Dir;
}

function main(args: string[]): void {
  const fromAt = args.indexOf('--from');
  const dir = args.includes('--download') ? download() : fromAt >= 0 ? args[fromAt + 1] : undefined;
  const tomlPath = path.join(RULES_DIR, 'gitleaks.toml');
  if (dir) {
    // Vendor the new list and its licence first, so the JSON always matches the vendored TOML.
    copyFileSync(path.join(dir, 'config/gitleaks.toml'), tomlPath);
    copyFileSync(path.join(dir, 'LICENSE'), path.join(RULES_DIR, 'LICENSE.gitleaks'));
    writeFileSync(path.join(RULES_DIR, 'VERSION'), `${/@(v[\w.-]+)/.exec(dir)?.[1] ?? 'unknown'}\n`);
  }
  const versionFile = path.join(RULES_DIR, 'VERSION');
  const version = existsSync(versionFile) ? readFileSync(versionFile, 'utf8').trim() : 'unknown';
  const generated = generate(readFileSync(tomlPath, 'utf8'), version);
  writeFileSync(path.join(RULES_DIR, 'gitleaks.json'), `${JSON.stringify(generated, null, 1)}\n`);
}

if (require.main === module) main(process.argv.slice(2));
