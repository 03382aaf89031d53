/**
 * The audit trail's tamper evidence, on the real database: per-stream chains keyed with the
 * signing key, and signed checkpoints of every stream's head. Any change to a stored field, a
 * re-hashed or forged entry, and (once a checkpoint signed it) any deletion is found by
 * verifyAudit; checkpointAudit never signs over a trail that lost what it signed before.
 */
import { createHash } from 'node:crypto';
import { appendAudit } from '../../src/domain/audit/appendAudit';
import { AuditTrailTamperedError, checkpointAudit } from '../../src/domain/audit/checkpointAudit';
import { exportAudit } from '../../src/domain/audit/exportAudit';
import { canonicalJson, hashEntry } from '../../src/domain/audit/hash';
import { describeVerification, verifyAudit } from '../../src/domain/audit/verifyAudit';
import { MongoHistoryRepository } from '../../src/store/history.repo';
import { TestClock } from '../support/clock';
import { useTestDatabase } from '../support/db';

const KEY = 'audit-test-signing-key-0123456789abcdef';
const db = useTestDatabase();
const clock = new TestClock();
let repo: MongoHistoryRepository;
const history = () => db.conn.collection('history');
const checkpoints = () => db.conn.collection('audit_checkpoints');
const SUBJECTS = ['UC-1', 'UC-2', 'UC-3'];

beforeAll(async () => {
  repo = new MongoHistoryRepository(db.conn, KEY);
  await Promise.all([repo.model.init(), repo.checkpoints.init()]);
  for (let i = 1; i <= 12; i++) {
    clock.advanceMs(1000);
    const subject = SUBJECTS[i % 3]!;
    await appendAudit({ repo, clock }, { actorId: `p${i % 4}`, action: 'usecase.noted', subject, data: { i, tags: ['a', 'b'], nested: { at: clock.now() } } });
  }
});

/** Snapshots the whole trail and its checkpoints, runs `change`, returns verify's verdict, and restores. */
async function tampered(change: () => Promise<unknown>) {
  const [entries, cps] = [await history().find().toArray(), await checkpoints().find().toArray()];
  try {
    await change();
    return await verifyAudit(repo);
  } finally {
    await history().deleteMany({});
    await checkpoints().deleteMany({});
    if (entries.length) await history().insertMany(entries);
    if (cps.length) await checkpoints().insertMany(cps);
    expect((await verifyAudit(repo)).ok).toBe(true);
  }
}

const id = (stream: string, version: number) => `${stream}#${version}` as never;
const S = 'log:UC-2';

describe('verifyAudit: every stored field is covered', () => {
  it('accepts an untouched trail, naming what it checked', async () => {
    const v = await verifyAudit(repo);
    expect(v).toEqual({ ok: true, entries: 12, streams: 3 });
    expect(describeVerification(v)).toBe(
      'Audit trail verified: 12 entries in 3 streams, every hash and link intact. No signed checkpoint yet, so deleted newest entries could not be detected.',
    );
  });

  it.each([
    ['at', { at: new Date('2020-01-01T00:00:00Z') }],
    ['actorId', { actorId: 'mallory' }],
    ['action', { action: 'approval.approved' }],
    ['subject', { subject: 'UC-999' }],
    ['data', { 'data.i': 500 }],
    ['data (nested)', { 'data.tags': ['a'] }],
    ['cause (added)', { cause: 'approval:APR-1' }],
    ['state (added)', { state: { stage: 'production' } }],
    ['events (added)', { events: [{ type: 'usecase.suspended', at: new Date(), actorId: 'mallory', useCaseKey: 'UC-2' }] }],
    ['prevHash', { prevHash: 'f'.repeat(64) }],
    ['hash', { hash: 'e'.repeat(64) }],
  ])('reports %s changed on version 3 of a stream, at that entry', async (_field, set) => {
    const v = await tampered(() => history().updateOne({ _id: id(S, 3) }, { $set: set }));
    expect(v.ok).toBe(false);
    expect(v.firstBroken).toMatchObject({ stream: S, version: 3 });
  });

  it('reports a renumbered entry where the stream first misses a version', async () => {
    const v = await tampered(() => history().updateOne({ _id: id(S, 2) }, { $set: { version: 20 } }));
    expect(v.firstBroken).toEqual({ stream: S, version: 2, reason: 'the entry is missing (the stream goes on at version 3)' });
    expect(describeVerification(v)).toBe(`Audit trail BROKEN at ${S} version 2: the entry is missing (the stream goes on at version 3).`);
  });

  it('reports a version changed to something that is not a version', async () => {
    const v = await tampered(() => history().updateOne({ _id: id(S, 2) }, { $set: { version: 'two' } }));
    expect(v.firstBroken).toEqual({ stream: S, version: 0, reason: 'an entry\'s version was changed to "two"' });
  });

  it('reports an entry rewritten and re-hashed without the key (sha256, or HMAC with a guessed key) at that entry', async () => {
    const e3: any = await history().findOne({ _id: id(S, 3) });
    const { _id, hash, ...rest } = e3;
    const forged = { ...rest, actorId: 'mallory', events: [] };
    for (const rehash of [
      createHash('sha256').update(canonicalJson({ ...forged, events: undefined })).digest('hex'),
      hashEntry('steward-development-audit-signing-key', forged),
    ]) {
      const v = await tampered(() => history().updateOne({ _id: id(S, 3) }, { $set: { actorId: 'mallory', hash: rehash } }));
      expect(v.firstBroken).toMatchObject({ stream: S, version: 3, reason: expect.stringMatching(/does not match its signed hash/) });
    }
  });

  it('reports one entry re-signed even with the key at the next link', async () => {
    const e3: any = await history().findOne({ _id: id(S, 3) });
    const { _id, hash, ...rest } = e3;
    const v = await tampered(() => history().updateOne({ _id: id(S, 3) }, { $set: { actorId: 'mallory', hash: repo.hashOf({ ...rest, actorId: 'mallory', events: [] }) } }));
    expect(v.firstBroken).toMatchObject({ stream: S, version: 4, reason: 'the entry does not link to the one before it' });
  });

  it('reports a deleted middle entry', async () => {
    const v = await tampered(() => history().deleteOne({ _id: id(S, 2) }));
    expect(v).toMatchObject({ ok: false, entries: 11, firstBroken: { stream: S, version: 2 } });
  });
});

describe('checkpoints', () => {
  it('signs every head once; nothing new, no new checkpoint', async () => {
    clock.advanceMs(1000);
    const cp = (await checkpointAudit({ repo, clock }))!;
    expect(cp).toMatchObject({ seq: 1, entries: 12 });
    expect(cp.heads.map((h) => [h.stream, h.version]).sort()).toEqual(SUBJECTS.map((s) => [`log:${s}`, 4]));
    expect(await checkpointAudit({ repo, clock })).toBeNull();
    const v = await verifyAudit(repo);
    expect(v).toEqual({ ok: true, entries: 12, streams: 3, checkpoint: { seq: 1, at: cp.at } });
    expect(describeVerification(v)).toBe(
      `Audit trail verified: 12 entries in 3 streams, every hash and link intact, and everything checkpoint 1 (${cp.at.toISOString()}) signed is still there.`,
    );
  });

  it('detects deleting the newest entries, a stream, or everything, which the chains alone cannot', async () => {
    let v = await tampered(() => history().deleteMany({ _id: { $in: [id(S, 3), id(S, 4)] } }));
    expect(v.firstBroken).toEqual({ stream: S, version: 3, reason: 'versions 3–4 were deleted: checkpoint 1 signed up to version 4' });
    v = await tampered(() => history().deleteOne({ _id: id(S, 4) }));
    expect(v.firstBroken).toEqual({ stream: S, version: 4, reason: 'version 4 was deleted: checkpoint 1 signed up to version 4' });
    v = await tampered(() => history().deleteMany({ stream: S }));
    expect(v.firstBroken).toEqual({ stream: S, version: 1, reason: 'the whole stream was deleted: checkpoint 1 signed its versions 1–4' });
    v = await tampered(() => history().deleteMany({}));
    expect(v).toMatchObject({ ok: false, entries: 0, firstBroken: { stream: '(trail)', reason: 'the trail is empty, but checkpoint 1 signed 12 entries in 3 streams' } });
    expect(describeVerification(v)).toBe('Audit trail BROKEN at the trail: the trail is empty, but checkpoint 1 signed 12 entries in 3 streams.');
  });

  it('detects a signed entry deleted and its version written again by an honest writer', async () => {
    const v = await tampered(async () => {
      await history().deleteOne({ _id: id(S, 4) });
      await appendAudit({ repo, clock }, { actorId: 'p1', action: 'usecase.noted', subject: 'UC-2' });
      await appendAudit({ repo, clock }, { actorId: 'p1', action: 'usecase.noted', subject: 'UC-2' });
    });
    expect(v.firstBroken).toEqual({ stream: S, version: 4, reason: 'the entry is not the one checkpoint 1 signed (it was replaced)' });
  });

  it('detects a checkpoint whose signature or content was changed', async () => {
    let v = await tampered(() => checkpoints().updateOne({ _id: 1 as never }, { $set: { signature: 'a'.repeat(64) } }));
    expect(v.firstBroken).toEqual({ stream: '(checkpoint)', version: 1, reason: 'checkpoint 1 does not carry a valid signature (it was changed or forged)' });
    v = await tampered(() => checkpoints().updateOne({ _id: 1 as never }, { $set: { 'heads.0.version': 1 } }));
    expect(v.firstBroken?.stream).toBe('(checkpoint)');
  });

  it('refuses to sign over a truncated trail, so the next checkpoint does not make the deletion disappear', async () => {
    await tampered(async () => {
      await history().deleteOne({ _id: id(S, 4) });
      await appendAudit({ repo, clock }, { actorId: 'p1', action: 'usecase.noted', subject: 'UC-1' });
      const refused = await checkpointAudit({ repo, clock }).catch((e: unknown) => e);
      expect(refused).toBeInstanceOf(AuditTrailTamperedError);
      expect((refused as Error).message).toBe(
        `audit trail broken at ${S} version 4: version 4 was deleted: checkpoint 1 signed up to version 4; no checkpoint signed over it (run audit verify)`,
      );
      expect(await checkpoints().countDocuments()).toBe(1);
    });
  });

  it('concurrent checkpointers write exactly one new checkpoint', async () => {
    await appendAudit({ repo, clock }, { actorId: 'p1', action: 'usecase.noted', subject: 'UC-9' });
    clock.advanceMs(1000);
    const made = (await Promise.all(Array.from({ length: 8 }, () => checkpointAudit({ repo, clock })))).filter(Boolean);
    expect(made).toHaveLength(1);
    expect(made[0]).toMatchObject({ seq: 2, entries: 13 });
    expect(await verifyAudit(repo)).toMatchObject({ ok: true, entries: 13, streams: 4, checkpoint: { seq: 2 } });
  });
});

describe('exportAudit', () => {
  it('exports one JSON object per line, by time, each stream chained by its hashes', async () => {
    let text = '';
    for await (const line of exportAudit(repo)) text += line;
    expect(text.endsWith('\n')).toBe(true);
    const lines = text.trimEnd().split('\n').map((l) => JSON.parse(l));
    expect(lines).toHaveLength(await history().countDocuments());
    expect(lines.map((l) => l.at)).toEqual([...lines.map((l) => l.at)].sort());
    expect(lines[0]).toMatchObject({ stream: 'log:UC-2', version: 1, action: 'usecase.noted', subject: 'UC-2', data: { i: 1 } });
    expect(lines[0].at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    for (const s of new Set(lines.map((l) => l.stream))) {
      const chain = lines.filter((l) => l.stream === s);
      chain.forEach((e, i) => {
        expect(e.version).toBe(i + 1);
        if (i) expect(e.prevHash).toBe(chain[i - 1].hash);
      });
    }
  });
});

describe('concurrent appends', () => {
  it('20 writers on one subject produce one chain without gaps; writers on other subjects do not wait on it', async () => {
    const before = await verifyAudit(repo);
    const written = await Promise.all([
      ...Array.from({ length: 20 }, (_, i) => appendAudit({ repo, clock }, { actorId: `w${i}`, action: 'approval.voted', subject: 'APR-1' })),
      ...Array.from({ length: 8 }, (_, i) => appendAudit({ repo, clock }, { actorId: `o${i}`, action: 'approval.voted', subject: `APR-${100 + i}` })),
    ]);
    expect(written.filter((e) => e.stream === 'log:APR-1').map((e) => e.version).sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(new Set(written.map((e) => e.actorId)).size).toBe(28);
    expect(await verifyAudit(repo)).toMatchObject({ ok: true, entries: before.entries + 28, streams: before.streams + 9 });
  });
});
