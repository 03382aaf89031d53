/**
 * botbuilder stays behind the channel interface: only src/channels/teams imports it, so moving
 * to the Microsoft 365 Agents SDK (the Bot Framework SDK is in maintenance) touches one folder.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

const SRC = path.resolve(__dirname, '../../../src');
const TEAMS = path.join(SRC, 'channels/teams');

/** Module specifiers of import/export/require statements. */
function specifiers(source: string): string[] {
  const patterns = [/\b(?:import|export)\s[^'"`;]*?\sfrom\s*['"]([^'"]+)['"]/g, /\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g, /\brequire\s*\(\s*['"]([^'"]+)['"]\s*\)/g];
  return patterns.flatMap((re) => [...source.matchAll(re)].map((m) => m[1]!));
}

function tsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return tsFiles(full);
    return full.endsWith('.ts') ? [full] : [];
  });
}

describe('Teams boundary', () => {
  it('no file outside src/channels/teams imports botbuilder', () => {
    const offenders = tsFiles(SRC)
      .filter((f) => !f.startsWith(TEAMS + path.sep))
      .filter((f) => specifiers(readFileSync(f, 'utf8')).some((s) => /^botbuilder|^botframework/.test(s)))
      .map((f) => path.relative(SRC, f));
    expect(offenders).toEqual([]);
  });

  it('the Teams channel does use botbuilder (the check looks at the right files)', () => {
    const users = tsFiles(TEAMS).filter((f) => specifiers(readFileSync(f, 'utf8')).some((s) => s === 'botbuilder'));
    expect(users.length).toBeGreaterThanOrEqual(3);
  });

  it('the app-package build tooling (scripts/teams) is kept apart from the bot: no botbuilder there', () => {
    const files = tsFiles(path.resolve(SRC, '../scripts/teams'));
    expect(files.length).toBeGreaterThanOrEqual(3);
    for (const f of files) expect(specifiers(readFileSync(f, 'utf8'))).not.toContain('botbuilder');
  });
});
