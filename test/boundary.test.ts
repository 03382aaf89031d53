/**
 * The domain is plain TypeScript: no transport, database, scheduler or LLM client, and nothing
 * from the layers that implement its ports. Checked by reading the sources, not by hope.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '..');
const DOMAIN = path.join(ROOT, 'src/domain');
const FORBIDDEN_PACKAGES = [/^@slack\//, /^botbuilder/, /^express$/, /^express\//, /^mongoose/, /^mongodb/, /^agenda/, /^@agendajs\//, /^openai/];
const FORBIDDEN_DIRS = ['store', 'channels', 'http', 'scheduler'].map((d) => path.join(ROOT, 'src', d));
const MAX_LINES = 350;

function tsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return tsFiles(full);
    return full.endsWith('.ts') ? [full] : [];
  });
}

/** Every module specifier: import/export ... from '...', import('...'), require('...'), import '...'. */
export function specifiers(source: string): string[] {
  const found: string[] = [];
  const patterns = [
    /\b(?:import|export)\s[^'"`;]*?\sfrom\s*['"]([^'"]+)['"]/g,
    /\bimport\s*['"]([^'"]+)['"]/g,
    /\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g,
    /\brequire\s*\(\s*['"]([^'"]+)['"]\s*\)/g,
  ];
  for (const re of patterns) for (const m of source.matchAll(re)) found.push(m[1]);
  return found;
}

export function violation(file: string, spec: string): string | null {
  if (spec.startsWith('.')) {
    const target = path.resolve(path.dirname(file), spec);
    const dir = FORBIDDEN_DIRS.find((d) => target === d || target.startsWith(d + path.sep));
    return dir ? `imports ${spec} (src/${path.basename(dir)})` : null;
  }
  const bare = spec.replace(/^node:/, '');
  if (/^src\//.test(bare)) {
    return FORBIDDEN_DIRS.some((d) => path.join(ROOT, bare).startsWith(d)) ? `imports ${spec}` : null;
  }
  return FORBIDDEN_PACKAGES.some((re) => re.test(bare)) ? `imports ${spec}` : null;
}

describe('domain boundary', () => {
  // Tests beside the source (*.test.ts) are not domain code: they wire the real store to run.
  const files = tsFiles(DOMAIN).filter((f) => !f.endsWith('.test.ts'));

  it('finds the domain sources', () => {
    expect(files.length).toBeGreaterThan(20);
  });

  it('imports no transport, database, scheduler or LLM package, and nothing from store/channels/http/scheduler', () => {
    const problems = files.flatMap((f) =>
      specifiers(readFileSync(f, 'utf8'))
        .map((s) => violation(f, s))
        .filter((v): v is string => !!v)
        .map((v) => `${path.relative(ROOT, f)} ${v}`),
    );
    expect(problems).toEqual([]);
  });

  it(`keeps every domain file under ${MAX_LINES} lines`, () => {
    const long = files
      .map((f) => ({ f: path.relative(ROOT, f), lines: readFileSync(f, 'utf8').split('\n').length }))
      .filter((x) => x.lines > MAX_LINES);
    expect(long).toEqual([]);
  });

  it('the checker itself catches forbidden imports (so the test can fail)', () => {
    const file = path.join(DOMAIN, 'usecases/example.ts');
    const src = [
      "import { App } from '@slack/bolt';",
      "import type { Connection } from 'mongoose';",
      "import { createRepositories } from '../../store';",
      "import x from '../../channels/slack/app';",
      "const o = require('openai');",
      "export { y } from 'botbuilder-core';",
      "import { z } from 'zod';",
      "import { DomainError } from '../errors';",
    ].join('\n');
    const bad = specifiers(src).map((s) => violation(file, s)).filter(Boolean);
    expect(bad).toHaveLength(6);
    expect(violation(file, '../audit/hash')).toBeNull();
    expect(violation(file, 'node:crypto')).toBeNull();
  });
});

describe('record boundary', () => {
  // Governance records are reached only through the domain's ports, so every change goes through
  // the write model (one history write with its audit). Channels keep their own delivery
  // bookkeeping (Slack message refs, Teams conversation refs, Slack installations and the
  // routes to them), which is not a record.
  const CHANNEL_STORES = ['slackMessages.repo', 'teamsRefs.repo', 'slackInstallations.repo', 'slackRoutes.repo'];
  const STORE = path.join(ROOT, 'src/store');
  const sources = ['channels', 'conversation', 'notifications']
    .flatMap((d) => tsFiles(path.join(ROOT, 'src', d)))
    .filter((f) => !f.endsWith('.test.ts'));

  const storeImport = (file: string, spec: string): string | null => {
    if (!spec.startsWith('.')) return null;
    const target = path.resolve(path.dirname(file), spec);
    if (target !== STORE && !target.startsWith(STORE + path.sep)) return null;
    return CHANNEL_STORES.includes(path.basename(target)) ? null : `imports ${spec}`;
  };

  it('channels, conversation and notifications import no record store', () => {
    expect(sources.length).toBeGreaterThan(20);
    const problems = sources.flatMap((f) =>
      specifiers(readFileSync(f, 'utf8'))
        .map((s) => storeImport(f, s))
        .filter((v): v is string => !!v)
        .map((v) => `${path.relative(ROOT, f)} ${v}`),
    );
    expect(problems).toEqual([]);
  });

  it('the check can fail', () => {
    const file = path.join(ROOT, 'src/channels/slack/example.ts');
    expect(storeImport(file, '../../store/useCases.repo')).not.toBeNull();
    expect(storeImport(file, '../../store')).not.toBeNull();
    expect(storeImport(file, '../../store/slackMessages.repo')).toBeNull();
  });
});
