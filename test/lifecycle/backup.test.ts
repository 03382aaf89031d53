/**
 * Issue 16, backups: `npm run backup` streams every collection of a populated database to a
 * gzip'd archive; `npm run restore` puts it into an EMPTY database, where `audit verify` passes
 * against the same checkpoint with identical record heads, every collection has the same
 * documents (types kept: dates, numbers), and the indexes are back. A non-empty target and a
 * truncated archive are refused.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { checkpointAudit } from '../../src/domain/audit/checkpointAudit';
import { verifyAudit } from '../../src/domain/audit/verifyAudit';
import { castVote } from '../../src/domain/approvals/castVote';
import { requestAdvance } from '../../src/domain/usecases/requestAdvance';
import { createRepositories } from '../../src/store';
import { connectDatabase } from '../../src/store/connection';
import { createDeliveryRepository } from '../../src/store/deliveries.repo';
import { useTestContext } from '../support/context';
import { registerTeam } from '../support/people';
import { proposeTestUseCase } from '../support/usecases';
import { runScript } from '../domain/scriptRunner';

jest.setTimeout(120_000);

const t = useTestContext();
const dir = mkdtempSync(path.join(tmpdir(), 'steward-backup-'));
const archive = path.join(dir, 'steward.ejson.gz');
const uri = () => process.env.STEWARD_TEST_MONGODB_URI!;
const restoredName = () => `${t.ctx.conn.db!.databaseName}_r`.slice(0, 63);

async function dump(db: import('mongodb').Db): Promise<Record<string, unknown[]>> {
  const out: Record<string, unknown[]> = {};
  for (const c of await db.listCollections({}, { nameOnly: true }).toArray()) {
    out[c.name] = (await db.collection(c.name).find({}).toArray()).sort((a: any, b: any) => (String(a._id) < String(b._id) ? -1 : 1));
  }
  return out;
}

beforeAll(async () => {
  const team = await registerTeam(t.ctx);
  const pm = team.llmops_engineer!;
  for (let i = 0; i < 3; i++) {
    const uc = await proposeTestUseCase(t.ctx, pm.id, i % 2 ? 'high' : 'minimal', { title: `Backed up ${i}` });
    const { approval } = await requestAdvance(t.ctx, { actorId: pm.id, key: uc.key });
    for (const p of Object.values(team)) await castVote(t.ctx, { actorId: p.id, approvalKey: approval.key, decision: 'approve' }).catch(() => undefined);
  }
  await createDeliveryRepository(t.ctx.conn).enqueue({ key: 'backup:1', to: { channel: 'governance' }, card: null, text: 'hello' }, new Date('2026-01-02T03:04:05.678Z'));
  await t.ctx.conn.db!.collection('numbers').insertOne({ _id: 'n' as never, int: 7, double: 7.5, big: 2 ** 53 - 1, at: new Date('2026-05-06T07:08:09.010Z'), nested: { list: [1, 'a', null] } });
  await checkpointAudit({ repo: t.ctx.repos.audit, clock: t.clock });
});
afterAll(async () => {
  const other = await connectDatabase({ uri: uri(), dbName: restoredName() });
  await other.db!.dropDatabase().catch(() => undefined);
  await other.close();
});

test('backup, restore into an empty database: audit verify passes with identical heads and identical documents', async () => {
  const env = { MONGODB_URI: uri(), MONGODB_DB: t.ctx.conn.db!.databaseName };
  const backup = await runScript('backup.ts', ['--out', archive], env);
  expect(backup).toMatchObject({ code: 0, stderr: '' });
  expect(backup.stdout).toMatch(/^Backed up \d+ collections \(\d+ documents\) of .* to .*steward\.ejson\.gz\./);
  // The archive is gzip'd JSON lines, the history last (a backup while running stays consistent).
  const lines = gunzipSync(readFileSync(archive)).toString('utf8').trim().split('\n').map((l) => JSON.parse(l));
  const order = lines.filter((l) => l.collection).map((l) => l.collection);
  expect(order.at(-1)).toBe('history');
  expect(lines.at(-1)).toMatchObject({ end: true });

  const restore = await runScript('restore.ts', ['--in', archive], { ...env, MONGODB_DB: restoredName() });
  expect(restore.stderr).toBe('');
  expect(restore.code).toBe(0);
  expect(restore.stdout).toMatch(/Restored \d+ collections/);
  expect(restore.stdout).toMatch(/intact|verif/i);

  const restored = await connectDatabase({ uri: uri(), dbName: restoredName() });
  try {
    const repo = createRepositories(restored).audit;
    const result = await verifyAudit(repo);
    const original = await verifyAudit(t.ctx.repos.audit);
    expect(result).toMatchObject({ ok: true, entries: original.entries, streams: original.streams, checkpoint: { seq: original.checkpoint!.seq } });
    const byStream = (hs: Array<{ stream: string }>) => [...hs].sort((a, b) => (a.stream < b.stream ? -1 : 1));
    expect(byStream(await repo.heads())).toEqual(byStream(await t.ctx.repos.audit.heads()));
    // Every document, with its types (Dates stay Dates, numbers stay numbers).
    expect(await dump(restored.db!)).toEqual(await dump(t.ctx.conn.db!));
    const n: any = await restored.db!.collection('numbers').findOne({ _id: 'n' as never });
    expect(n.at).toBeInstanceOf(Date);
    expect(n).toMatchObject({ int: 7, double: 7.5, big: 2 ** 53 - 1 });
    // Unique indexes are back (a second claim of the same human key is refused).
    const names = (await restored.db!.collection('history').indexes()).map((i) => i.name);
    expect(names).toEqual(expect.arrayContaining((await t.ctx.conn.db!.collection('history').indexes()).map((i) => i.name)));
    // The restored copy works as Steward: a read of a record from its history.
    const uc = (await createRepositories(restored).useCases.list({}))[0]!;
    expect((await createRepositories(restored).useCases.get(uc.key))?.title).toBe(uc.title);
  } finally {
    await restored.close();
  }
});

test('restore refuses a database that is not empty, and a truncated archive, naming why', async () => {
  const env = { MONGODB_URI: uri(), MONGODB_DB: t.ctx.conn.db!.databaseName };
  const notEmpty = await runScript('restore.ts', ['--in', archive], env);
  expect(notEmpty.code).toBe(1);
  expect(notEmpty.stderr).toMatch(/^Refused: database .* is not empty/);
  const cut = path.join(dir, 'cut.ejson.gz');
  const text = gunzipSync(readFileSync(archive)).toString('utf8').trim().split('\n');
  writeFileSync(cut, gzipSync(text.slice(0, -3).join('\n')));
  const truncated = await runScript('restore.ts', ['--in', cut], { ...env, MONGODB_DB: `${restoredName()}2`.slice(0, 63) });
  expect(truncated.code).toBe(1);
  expect(truncated.stderr).toMatch(/Refused: the archive has no end line: it was cut short/);
  expect(truncated.stderr).not.toMatch(/^\s+at /m);
  const leftover = await connectDatabase({ uri: uri(), dbName: `${restoredName()}2`.slice(0, 63) });
  await leftover.db!.dropDatabase();
  await leftover.close();
});
