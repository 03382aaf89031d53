/** The conversation layer is channel-neutral: it may use the domain and zod, never a transport or the store. */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(__dirname, '../../src/conversation');
const files = (dir: string): string[] =>
  readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? files(full) : full.endsWith('.ts') ? [full] : [];
  });

// handlers/ and notifications/ belong to other parts of the layer; the rule still applies to them.
test('src/conversation imports no transport, store or network package', () => {
  const forbidden = /from '(@slack\/|botbuilder|express|mongoose|mongodb|agenda|@agendajs|openai|node:http|node:https|undici)|from '\.\.\/(\.\.\/)*(store|channels|http|scheduler)\//;
  const offenders = files(root).filter((f) => forbidden.test(readFileSync(f, 'utf8')));
  expect(offenders.map((f) => path.relative(root, f))).toEqual([]);
  expect(files(root).length).toBeGreaterThan(20);
});
