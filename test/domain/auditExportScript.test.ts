/**
 * `npm run audit:export`: the audit trail as JSON lines, run as a child process against the
 * real database; --verify must fail loudly once an entry has been changed or removed.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { checkpointAudit } from '../../src/domain/audit/checkpointAudit';
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
let streams = 0;
const history = () => t.ctx.conn.collection('history');

beforeAll(async () => {
  for (const roles of [['ai_coe_admin'], ['llm_product_manager'], ['ai_governance_legal', 'domain_expert']]) await registerTestPerson(t.ctx, roles);
  ({ entries, streams } = await verifyAudit(t.ctx.repos.audit));
  expect(entries).toBeGreaterThanOrEqual(3);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it('writes one JSON line per audit entry to stdout, by time, each stream chained', async () => {
  const r = await exportAudit();
  expect(r).toMatchObject({ code: 0, stderr: '' });
  const lines = r.stdout.split('\n').filter(Boolean);
  expect(r.stdout.endsWith('\n')).toBe(true);
  expect(lines).toHaveLength(entries);
  const parsed = lines.map((l) => JSON.parse(l) as { stream: string; version: number; action: string; prevHash: string; hash: string; at: string });
  expect(parsed.filter((e) => e.action === 'person.registered')).toHaveLength(3);
  expect(parsed.map((e) => e.at)).toEqual(parsed.map((e) => e.at).sort());
  for (const s of new Set(parsed.map((e) => e.stream))) {
    const chain = parsed.filter((e) => e.stream === s);
    chain.forEach((e, i) => {
      expect(e.version).toBe(i + 1);
      if (i) expect(e.prevHash).toBe(chain[i - 1]!.hash);
    });
  }
  expect(parsed[0]!.at).toMatch(/^\d{4}-\d{2}-\d{2}T/);
});

it('writes to a file with --out and reports the trail intact with --verify, checkpoint included', async () => {
  const out = path.join(dir, 'audit.jsonl');
  let r = await exportAudit('--out', out, '--verify');
  expect(r.code).toBe(0);
  expect(r.stdout).toContain(`Exported ${entries} audit entries to ${out}.`);
  expect(r.stdout).toContain(`Audit trail verified: ${entries} entries in ${streams} streams, every hash and link intact. No signed checkpoint yet`);
  expect(readFileSync(out, 'utf8').split('\n').filter(Boolean)).toHaveLength(entries);

  const cp = (await checkpointAudit({ repo: t.ctx.repos.audit, clock: t.clock }))!;
  r = await exportAudit('--verify');
  expect(r.code).toBe(0);
  expect(r.stderr.trim()).toBe(
    `Audit trail verified: ${entries} entries in ${streams} streams, every hash and link intact, and everything checkpoint ${cp.seq} (${cp.at.toISOString()}) signed is still there.`,
  );
});

it('verifies only with the server key: another AUDIT_SIGNING_KEY finds every entry unsigned', async () => {
  const r = await runScript('audit-export.ts', ['--verify'], {
    MONGODB_URI: process.env.STEWARD_TEST_MONGODB_URI!,
    MONGODB_DB: t.ctx.conn.name,
    AUDIT_SIGNING_KEY: 'some-other-key-that-is-long-enough-0123456789',
  });
  expect(r.code).toBe(1);
  expect(r.stderr).toMatch(/^Audit trail BROKEN at \S+ version 1: the content does not match its signed hash/);
});

it('refuses a malformed AUDIT_SIGNING_KEY with exit code 2, without echoing it', async () => {
  const r = await runScript('audit-export.ts', ['--verify'], { MONGODB_URI: process.env.STEWARD_TEST_MONGODB_URI!, MONGODB_DB: t.ctx.conn.name, AUDIT_SIGNING_KEY: 'short-secret' });
  expect(r.code).toBe(2);
  expect(r.stderr).toMatch(/^AUDIT_SIGNING_KEY: expected at least 32 characters/);
  expect(r.stderr).not.toContain('short-secret');
});

it('exits 1 with --verify once the newest entry of a stream was deleted after a checkpoint', async () => {
  const newest: any = await history().find().sort({ at: -1 }).limit(1).next();
  await history().deleteOne({ _id: newest._id });
  try {
    const r = await exportAudit('--verify');
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toMatch(new RegExp(`^Audit trail BROKEN at ${newest.stream} version ${newest.version}: `));
  } finally {
    await history().insertOne(newest);
  }
});

it('exits 1 with --verify once an entry was changed in the database, naming the stream and version', async () => {
  const person: any = await history().findOne({ action: 'person.registered' });
  const changed = await history().updateOne({ _id: person._id }, { $set: { 'data.name': 'Mallory' } });
  expect(changed.modifiedCount).toBe(1);
  const r = await exportAudit('--verify');
  expect(r.code).toBe(1);
  // The lines still go to stdout (the export shows what is stored); the verdict goes to stderr.
  expect(r.stdout.split('\n').filter(Boolean)).toHaveLength(entries);
  expect(r.stderr.trim()).toBe(`Audit trail BROKEN at ${person.stream} version ${person.version}: the content does not match its signed hash (the entry was changed or forged).`);
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
