/**
 * The audit trail's tamper evidence, on the real database: any change to any stored field of
 * an entry, or a deleted entry, is found by verifyAudit at the first broken entry.
 */
import { appendAudit } from '../../src/domain/audit/appendAudit';
import { exportAudit } from '../../src/domain/audit/exportAudit';
import { hashEntry } from '../../src/domain/audit/hash';
import { verifyAudit } from '../../src/domain/audit/verifyAudit';
import { MongoAuditRepository } from '../../src/store/audit.repo';
import { TestClock } from '../support/clock';
import { useTestDatabase } from '../support/db';

const db = useTestDatabase();
const clock = new TestClock();
let repo: MongoAuditRepository;
const coll = () => db.conn.collection('audit');

beforeAll(async () => {
  repo = new MongoAuditRepository(db.conn);
  await repo.model.init();
  for (let i = 1; i <= 12; i++) {
    clock.advanceMs(1000);
    await appendAudit({ repo, clock }, { actorId: `p${i % 3}`, action: 'usecase.proposed', subject: `UC-${i}`, data: { i, tags: ['a', 'b'], nested: { at: clock.now() } } });
  }
});

/** Applies a raw change to entry `seq`, runs verify, then restores the original document. */
async function tampered(seq: number, set: Record<string, unknown>) {
  const original = await coll().findOne({ seq });
  if (!original) throw new Error(`no entry ${seq}`);
  await coll().updateOne({ _id: original._id }, { $set: set });
  try {
    return await verifyAudit(repo);
  } finally {
    await coll().replaceOne({ _id: original._id }, original);
  }
}

describe('verifyAudit', () => {
  it('accepts an untouched chain', async () => {
    expect(await verifyAudit(repo)).toEqual({ ok: true, entries: 12 });
  });

  it.each([
    ['at', { at: new Date('2020-01-01T00:00:00Z') }],
    ['actorId', { actorId: 'mallory' }],
    ['action', { action: 'approval.approved' }],
    ['subject', { subject: 'UC-999' }],
    ['data', { 'data.i': 500 }],
    ['data (nested)', { 'data.tags': ['a'] }],
    ['prevHash', { prevHash: 'f'.repeat(64) }],
    ['hash', { hash: 'e'.repeat(64) }],
  ])('reports entry 5 when its %s is changed', async (_field, set) => {
    const v = await tampered(5, set);
    expect(v.ok).toBe(false);
    expect(v.firstBroken?.seq).toBe(5);
    expect(await verifyAudit(repo)).toMatchObject({ ok: true }); // restored
  });

  it('reports a changed seq at the first place the sequence breaks', async () => {
    // Entry 5 renumbered to 50: the walk finds 6 where 5 belongs.
    const v = await tampered(5, { seq: 50 });
    expect(v.ok).toBe(false);
    expect(v.firstBroken).toEqual({ seq: 6, reason: 'expected entry 5, found 6 (an entry is missing)' });
  });

  it('reports a re-hashed entry at the next link (rewriting one entry is not enough)', async () => {
    // A forger who recomputes entry 5's hash after editing it breaks entry 6's link instead.
    const e5 = (await coll().findOne({ seq: 5 }))!;
    const forged = { seq: 5, at: new Date(e5.at), actorId: 'mallory', action: e5.action, subject: e5.subject, data: e5.data, prevHash: e5.prevHash };
    const v = await tampered(5, { actorId: 'mallory', hash: hashEntry(forged) });
    expect(v.firstBroken?.seq).toBe(6);
    expect(v.firstBroken?.reason).toMatch(/does not link/);
  });

  it('reports a deleted entry', async () => {
    const original = (await coll().findOne({ seq: 8 }))!;
    await coll().deleteOne({ _id: original._id });
    try {
      const v = await verifyAudit(repo);
      expect(v).toMatchObject({ ok: false, firstBroken: { seq: 9 } });
      expect(v.firstBroken?.reason).toMatch(/missing/);
    } finally {
      await coll().insertOne(original);
    }
    expect((await verifyAudit(repo)).ok).toBe(true);
  });
});

describe('exportAudit', () => {
  it('exports one JSON object per line, in order, that verify against their hashes', async () => {
    let text = '';
    for await (const line of exportAudit(repo)) text += line;
    expect(text.endsWith('\n')).toBe(true);
    const lines = text.trimEnd().split('\n').map((l) => JSON.parse(l));
    expect(lines.map((l) => l.seq)).toEqual([...Array(12).keys()].map((i) => i + 1));
    expect(lines[0]).toMatchObject({ action: 'usecase.proposed', subject: 'UC-1', data: { i: 1 } });
    expect(lines[0].at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    for (let i = 1; i < lines.length; i++) expect(lines[i].prevHash).toBe(lines[i - 1].hash);
  });
});

describe('concurrent appends', () => {
  it('20 writers at once produce one valid chain without gaps', async () => {
    const before = (await repo.last())!.seq;
    const written = await Promise.all(
      Array.from({ length: 20 }, (_, i) => appendAudit({ repo, clock }, { actorId: `w${i}`, action: 'approval.voted', subject: `APR-${i}` })),
    );
    const seqs = written.map((e) => e.seq).sort((a, b) => a - b);
    expect(seqs).toEqual(Array.from({ length: 20 }, (_, i) => before + 1 + i));
    expect(await verifyAudit(repo)).toEqual({ ok: true, entries: before + 20 });
    expect(new Set(written.map((e) => e.actorId)).size).toBe(20);
  });
});
