/**
 * `npm run audit:export`: the audit trail as JSON lines, run as a child process against the
 * real database; --verify must fail loudly once an entry has been changed.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { verifyAudit } from '../../src/domain/audit/verifyAudit';
import { useTestContext } from '../support/context';
import { registerTestPerson } from '../support/people';
import { runScript } from './scriptRunner';

// Each case starts tsx child processes, which is slow on a loaded machine (the full suite).
jest.setTimeout(120_000);

const t = useTestContext();
const dir = mkdtempSync(path.join(tmpdir(), 'steward-audit-'));
const exportAudit = (...args: string[]) =>
  runScript('audit-export.ts', args, { MONGODB_URI: process.env.STEWARD_TEST_MONGODB_URI!, MONGODB_DB: t.ctx.conn.name });
let entries = 0;

beforeAll(async () => {
  for (const roles of [['ai_coe_admin'], ['llm_product_manager'], ['ai_governance_legal', 'domain_expert']]) await registerTestPerson(t.ctx, roles);
  entries = (await verifyAudit(t.ctx.repos.audit)).entries;
  expect(entries).toBeGreaterThanOrEqual(3);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it('writes one JSON line per audit entry to stdout, in order, with the hash chain', async () => {
  const r = await exportAudit();
  expect(r).toMatchObject({ code: 0, stderr: '' });
  const lines = r.stdout.split('\n').filter(Boolean);
  expect(r.stdout.endsWith('\n')).toBe(true);
  expect(lines).toHaveLength(entries);
  const parsed = lines.map((l) => JSON.parse(l) as { seq: number; action: string; prevHash: string; hash: string; at: string });
  expect(parsed.map((e) => e.seq)).toEqual(Array.from({ length: entries }, (_, i) => i + 1));
  expect(parsed.every((e) => e.action === 'person.registered')).toBe(true);
  for (let i = 1; i < parsed.length; i++) expect(parsed[i]!.prevHash).toBe(parsed[i - 1]!.hash);
  expect(parsed[0]!.at).toMatch(/^\d{4}-\d{2}-\d{2}T/);
});

it('writes to a file with --out and reports the chain intact with --verify', async () => {
  const out = path.join(dir, 'audit.jsonl');
  const r = await exportAudit('--out', out, '--verify');
  expect(r.code).toBe(0);
  expect(r.stdout).toContain(`Exported ${entries} audit entries to ${out}.`);
  expect(r.stdout).toContain(`Audit chain verified: ${entries} entries`);
  expect(readFileSync(out, 'utf8').split('\n').filter(Boolean)).toHaveLength(entries);
});

it('exits 1 with --verify once an entry was changed in the database, naming the entry', async () => {
  const changed = await t.ctx.conn.collection('audit').updateOne({ seq: 2 }, { $set: { 'data.name': 'Mallory' } });
  expect(changed.modifiedCount).toBe(1);
  const r = await exportAudit('--verify');
  expect(r.code).toBe(1);
  // The lines still go to stdout (the export shows what is stored); the verdict goes to stderr.
  expect(r.stdout.split('\n').filter(Boolean)).toHaveLength(entries);
  expect(r.stderr.trim()).toBe('Audit chain BROKEN at entry 2: content does not match its hash (the entry was changed).');
  // Without --verify the export itself still succeeds.
  expect((await exportAudit()).code).toBe(0);
});

it('refuses an unknown option with usage and exit code 2', async () => {
  const r = await exportAudit('--outfile', 'x');
  expect(r.code).toBe(2);
  expect(r.stderr).toMatch(/--outfile/);
  expect(r.stderr).toContain('Usage: npm run audit:export');
  expect(r.stderr).not.toMatch(/^\s+at /m);
});
