/**
 * Tampering with the stored record, as someone with write access to the database but without
 * the audit signing key would: every case the issue lists is detected by verifyAudit and by
 * `npm run audit:export -- --verify` (exit 1), and the untouched trail verifies (exit 0).
 * The trail is written by real domain operations; the tampering goes straight to the raw
 * collections.
 */
import { createHash } from 'node:crypto';
import { checkpointAudit } from '../../src/domain/audit/checkpointAudit';
import { canonicalJson, GENESIS_HASH, hashEntry } from '../../src/domain/audit/hash';
import { verifyAudit } from '../../src/domain/audit/verifyAudit';
import type { Person, UseCase } from '../../src/domain/types';
import { attachEvidence } from '../../src/domain/usecases/attachEvidence';
import { suspendUseCase } from '../../src/domain/usecases/suspendUseCase';
import { auditVerifyReply } from '../../src/conversation/handlers/commands/governance';
import { runScript } from '../domain/scriptRunner';
import { useTestContext } from '../support/context';
import { registerTestPerson } from '../support/people';
import { proposeTestUseCase } from '../support/usecases';

jest.setTimeout(120_000);

const t = useTestContext();
const history = () => t.ctx.conn.collection('history');
const checkpoints = () => t.ctx.conn.collection('audit_checkpoints');
const verifyScript = () => runScript('audit-export.ts', ['--verify'], { MONGODB_URI: process.env.STEWARD_TEST_MONGODB_URI!, MONGODB_DB: t.ctx.conn.name });

let owner: Person;
let uc: UseCase;
let other: UseCase;
/** The use case's stream and how many versions it has once the trail is written. */
let stream: string;
let versions: number;

beforeAll(async () => {
  owner = await registerTestPerson(t.ctx, ['llm_product_manager', 'ai_security_specialist'], 'Owner');
  uc = await proposeTestUseCase(t.ctx, owner.id, 'high');
  other = await proposeTestUseCase(t.ctx, owner.id, 'minimal');
  for (const [i, controlId] of uc.requiredControls.slice(0, 4).entries()) {
    t.clock.advanceMs(60_000);
    await attachEvidence(t.ctx, { actorId: owner.id, key: uc.key, controlId, url: `https://wiki.example.com/evidence/${i}` });
  }
  t.clock.advanceMs(60_000);
  await suspendUseCase(t.ctx, { actorId: owner.id, key: uc.key, reason: 'Leaking customer data' });
  stream = `usecase:${uc.key}`;
  versions = await history().countDocuments({ stream });
  expect(versions).toBeGreaterThanOrEqual(5);
});

/** Snapshots the trail and its checkpoints, tampers, returns verify's verdict, restores (and checks the restore). */
async function afterTampering(tamper: () => Promise<unknown>, opts: { script?: boolean } = {}) {
  const [entries, cps] = [await history().find().toArray(), await checkpoints().find().toArray()];
  try {
    await tamper();
    const verdict = await verifyAudit(t.ctx.repos.audit);
    const script = opts.script ? await verifyScript() : undefined;
    return { verdict, script };
  } finally {
    await history().deleteMany({});
    await checkpoints().deleteMany({});
    if (entries.length) await history().insertMany(entries);
    if (cps.length) await checkpoints().insertMany(cps);
    expect((await verifyAudit(t.ctx.repos.audit)).ok).toBe(true);
  }
}

/** Rewrites `version` of the stream with `set`, then re-links and re-hashes it and every later version with `hash`. */
async function rewriteAndRechain(version: number, set: Record<string, unknown>, hash: (body: any) => string) {
  const docs: any[] = await history().find({ stream }).sort({ version: 1 }).toArray();
  let prevHash = version === 1 ? GENESIS_HASH : docs[version - 2].hash;
  for (const d of docs.slice(version - 1)) {
    const { _id, hash: _old, effects, ...body } = { ...d, ...(d.version === version ? set : {}), prevHash };
    const next = hash({ ...body, events: body.events ?? [] });
    await history().replaceOne({ _id }, { ...body, ...(effects ? { effects } : {}), hash: next });
    prevHash = next;
  }
}

const sha256 = (e: any) =>
  createHash('sha256')
    .update(canonicalJson({ stream: e.stream, version: e.version, at: e.at, actorId: e.actorId, action: e.action, subject: e.subject, data: e.data, cause: e.cause, state: e.state, events: e.events?.length ? e.events : undefined, prevHash: e.prevHash }))
    .digest('hex');

describe('an untouched trail', () => {
  it('verifies, before and after a checkpoint, and the script exits 0', async () => {
    expect(await verifyAudit(t.ctx.repos.audit)).toMatchObject({ ok: true, streams: expect.any(Number) });
    const cp = (await checkpointAudit({ repo: t.ctx.repos.audit, clock: t.clock }))!;
    expect(cp.heads).toEqual(expect.arrayContaining([expect.objectContaining({ stream, version: versions })]));
    const v = await verifyAudit(t.ctx.repos.audit);
    expect(v).toMatchObject({ ok: true, checkpoint: { seq: cp.seq } });
    const r = await verifyScript();
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(`everything checkpoint ${cp.seq}`);
  });
});

describe('is detected (verifyAudit fails, the script exits 1)', () => {
  it("changing one entry's data", async () => {
    const { verdict, script } = await afterTampering(() => history().updateOne({ stream, version: 2 }, { $set: { 'data.url': 'https://evil.example.com' } }), { script: true });
    expect(verdict.firstBroken).toMatchObject({ stream, version: 2, reason: expect.stringMatching(/does not match its signed hash/) });
    expect(script!.code).toBe(1);
    expect(script!.stderr.trim()).toBe(`Audit trail BROKEN at ${stream} version 2: the content does not match its signed hash (the entry was changed or forged).`);
  });

  it('`audit verify` in chat names the entries, streams and checkpoint, and where the trail breaks', async () => {
    const [intact] = (await auditVerifyReply({ ctx: t.ctx })).cards;
    expect(intact).toMatchObject({ title: 'Audit trail intact', badge: { label: 'Verified' } });
    expect(intact!.text).toMatch(/^All \d+ entries in \d+ streams chain correctly, and everything checkpoint 1 signed is still there\.$/);
    expect(intact!.fields).toEqual(expect.arrayContaining([{ label: 'Checkpoint', value: expect.stringMatching(/^1, signed /) }]));

    let broken: any;
    await afterTampering(async () => {
      await history().deleteOne({ stream, version: versions });
      [broken] = (await auditVerifyReply({ ctx: t.ctx })).cards;
    });
    expect(broken).toMatchObject({ title: 'Audit trail broken', badge: { label: 'Tampered', tone: 'danger' } });
    expect(broken.text).toBe(
      `The trail is broken at ${stream} version ${versions}: version ${versions} was deleted: checkpoint 1 signed up to version ${versions}. Compare it with an exported copy or a backup to see what changed.`,
    );
    expect(broken.fields).toEqual(expect.arrayContaining([{ label: 'Broken at', value: `${stream} version ${versions}` }]));
  });

  it("changing a record's state in its history (the version the domain reads)", async () => {
    const { verdict } = await afterTampering(() => history().updateOne({ stream, version: versions }, { $set: { 'state.stage': 'production' } }));
    expect(verdict.firstBroken).toMatchObject({ stream, version: versions });
  });

  it('rewriting an entry and recomputing every later hash with sha256', async () => {
    const { verdict, script } = await afterTampering(() => rewriteAndRechain(2, { actorId: 'mallory' }, sha256), { script: true });
    expect(verdict.firstBroken).toMatchObject({ stream, version: 2, reason: expect.stringMatching(/does not match its signed hash/) });
    expect(script!.code).toBe(1);
  });

  it('rewriting an entry and recomputing every later hash with a wrong key', async () => {
    const { verdict } = await afterTampering(() => rewriteAndRechain(2, { actorId: 'mallory' }, (e) => hashEntry('a-guessed-key-that-is-long-enough-000000', e)));
    expect(verdict.firstBroken).toMatchObject({ stream, version: 2, reason: expect.stringMatching(/does not match its signed hash/) });
  });

  it('(control) the same rewrite re-signed with the real key is not detected: the key must stay outside the database', async () => {
    // Proves the rewrites above are complete re-chainings, failed only for want of the key.
    const { verdict } = await afterTampering(async () => {
      await rewriteAndRechain(2, { actorId: 'mallory' }, (e) => t.ctx.repos.audit.hashOf(e));
      await checkpoints().deleteMany({}); // the checkpoint signed the old head hash
    });
    expect(verdict).toMatchObject({ ok: true });
  });

  it('deleting the last entries of a stream after a checkpoint', async () => {
    const { verdict, script } = await afterTampering(() => history().deleteMany({ stream, version: { $gte: versions - 1 } }), { script: true });
    expect(verdict.firstBroken).toEqual({ stream, version: versions - 1, reason: `versions ${versions - 1}–${versions} were deleted: checkpoint 1 signed up to version ${versions}` });
    expect(script!.code).toBe(1);
  });

  it('deleting a whole stream', async () => {
    const { verdict, script } = await afterTampering(() => history().deleteMany({ stream: `usecase:${other.key}` }), { script: true });
    expect(verdict.firstBroken).toMatchObject({ stream: `usecase:${other.key}`, version: 1, reason: expect.stringMatching(/^the whole stream was deleted/) });
    expect(script!.code).toBe(1);
  });

  it('deleting every entry (the checkpoint remains)', async () => {
    const { verdict, script } = await afterTampering(() => history().deleteMany({}), { script: true });
    expect(verdict).toMatchObject({ ok: false, entries: 0, firstBroken: { stream: '(trail)', reason: expect.stringMatching(/^the trail is empty, but checkpoint 1 signed/) } });
    expect(script!.code).toBe(1);
  });

  it('appending a forged entry with a made-up hash, to a stream or as a new stream', async () => {
    const head: any = await history().findOne({ stream, version: versions });
    const forged = { ...head, _id: `${stream}#${versions + 1}`, version: versions + 1, actorId: owner.id, action: 'usecase.resumed', prevHash: head.hash, hash: 'c0ffee'.repeat(10) + 'c0ff' };
    delete forged.effects;
    const { verdict, script } = await afterTampering(() => history().insertOne(forged), { script: true });
    expect(verdict.firstBroken).toMatchObject({ stream, version: versions + 1, reason: expect.stringMatching(/does not match its signed hash/) });
    expect(script!.code).toBe(1);

    const alone = { ...forged, _id: 'usecase:UC-999#1', stream: 'usecase:UC-999', subject: 'UC-999', version: 1, prevHash: GENESIS_HASH };
    const { verdict: v2 } = await afterTampering(() => history().insertOne(alone));
    expect(v2.firstBroken).toMatchObject({ stream: 'usecase:UC-999', version: 1 });
  });

  it("replacing the checkpoint's signature", async () => {
    const { verdict, script } = await afterTampering(() => checkpoints().updateMany({}, { $set: { signature: 'ab'.repeat(32) } }), { script: true });
    expect(verdict.firstBroken).toMatchObject({ stream: '(checkpoint)', reason: expect.stringMatching(/does not carry a valid signature/) });
    expect(script!.code).toBe(1);
  });

  it('deleting the last entries and letting the next checkpoint run: it refuses to sign over the gap', async () => {
    const { verdict } = await afterTampering(async () => {
      await history().deleteOne({ stream, version: versions });
      await expect(checkpointAudit({ repo: t.ctx.repos.audit, clock: t.clock })).rejects.toThrow(/no checkpoint signed over it/);
    });
    expect(verdict.firstBroken).toMatchObject({ stream, version: versions });
  });
});
