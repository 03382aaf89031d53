/**
 * A database written by the version before histories (records replaced in place, votes in their
 * own collection, one global audit chain) keeps working: the start-up migration gives every
 * record version 1 from its stored state, copies and checks the old chain, runs once, and what
 * follows is ordinary versioned writing.
 */
import { createHash } from 'node:crypto';
import { buildContext } from '../../src/app/context';
import { canonicalJson, GENESIS_HASH } from '../../src/domain/audit/hash';
import { verifyAudit } from '../../src/domain/audit/verifyAudit';
import { castVote } from '../../src/domain/approvals/castVote';
import { attachEvidence } from '../../src/domain/usecases/attachEvidence';
import { loadPolicy } from '../../src/playbooks';
import type { MigrationReport } from '../../src/store/migrate';
import { useTestDatabase } from '../support/db';
import { FACTORY_NOW, makeUseCase } from '../support/factories';

const db = useTestDatabase();
const at = FACTORY_NOW;

/** The old chain's hash, as the earlier version computed it. */
const legacyHash = (e: Record<string, unknown>) =>
  createHash('sha256')
    .update(canonicalJson({ seq: e.seq, at: (e.at as Date).toISOString(), actorId: e.actorId, action: e.action, subject: e.subject, data: e.data, prevHash: e.prevHash }))
    .digest('hex');

async function writeOldDatabase(): Promise<void> {
  const c = (name: string) => db.conn.collection(name);
  await c('people').insertMany([
    { _id: 'p-owner' as never, name: 'Olga Owner', email: 'olga@example.com', emailLower: 'olga@example.com', roles: ['llm_product_manager'], createdAt: at },
    { _id: 'p-admin' as never, name: 'Ada Admin', slackUserId: 'UADMIN01', roles: ['ai_coe_admin'], createdAt: at },
    { _id: 'p-legal' as never, name: 'Lee Legal', roles: ['ai_governance_legal'], createdAt: at },
  ]);
  await c('person_identities').insertMany([
    { _id: 'email:olga@example.com' as never, personId: 'p-owner' },
    { _id: 'slack:UADMIN01' as never, personId: 'p-admin' },
  ]);
  const { ...uc } = makeUseCase({ key: 'UC-7', seq: 7, ownerId: 'p-owner', proposerId: 'p-owner', tier: 'high', requiredControls: ['CTL-LOGGING'] });
  await c('use_cases').insertOne({ ...uc });
  await c('approvals').insertOne({
    key: 'APR-3', seq: 3, useCaseKey: 'UC-7', gateId: 'prototype', fromStage: 'ideation', toStage: 'prototype', requesterId: 'p-owner',
    requiredRoles: ['ai_coe_admin', 'ai_governance_legal'], quorum: 2, approverIds: ['p-admin', 'p-legal'], status: 'pending', reasons: [],
    expiresAt: new Date('2099-01-01T00:00:00Z'), createdAt: at,
  });
  await c('approval_votes').insertOne({ _id: 'APR-3|p-admin' as never, approvalKey: 'APR-3', personId: 'p-admin', decision: 'approve', role: 'ai_coe_admin', at });
  let prevHash = GENESIS_HASH;
  const entries = [
    { action: 'usecase.proposed', subject: 'UC-7', actorId: 'p-owner', data: { title: uc.title } },
    { action: 'approval.requested', subject: 'APR-3', actorId: 'p-owner', data: { useCaseKey: 'UC-7' } },
    { action: 'approval.voted', subject: 'APR-3', actorId: 'p-admin', data: { decision: 'approve' } },
  ];
  for (const [i, e] of entries.entries()) {
    const base = { seq: i + 1, at, ...e, prevHash };
    const doc = { ...base, hash: legacyHash(base) };
    await c('audit').insertOne(doc);
    prevHash = doc.hash;
  }
}

describe('migrating a database from before histories', () => {
  let report: MigrationReport | undefined;

  beforeAll(async () => {
    await writeOldDatabase();
  });

  it('gives every record version 1 and copies the old chain, once', async () => {
    const ctx = await buildContext({ conn: db.conn, policy: loadPolicy(), onMigrated: (r) => (report = r) });
    expect(report).toMatchObject({ migrated: { usecase: 1, approval: 1, person: 3 }, legacyAudit: 3, legacyChainIntact: true });

    const uc = (await ctx.repos.useCases.get('UC-7'))!;
    expect(uc).toMatchObject({ key: 'UC-7', rev: 1, ownerId: 'p-owner', tier: 'high' });
    expect((await ctx.repos.audit.history('usecase:UC-7')).map((e) => e.action)).toEqual(['record.migrated']);
    const approval = (await ctx.repos.approvals.get('APR-3'))!;
    expect(approval.votes).toEqual([expect.objectContaining({ personId: 'p-admin', decision: 'approve', role: 'ai_coe_admin' })]);
    expect((await ctx.repos.people.findBySlackUserId('UADMIN01'))?.id).toBe('p-admin');
    const legacy = await ctx.repos.audit.history('legacy:audit');
    expect(legacy.map((e) => [e.version, e.action])).toEqual([
      [1, 'usecase.proposed'],
      [2, 'approval.requested'],
      [3, 'approval.voted'],
    ]);
    expect(legacy[2]!.data).toMatchObject({ legacy: { seq: 3, linkVerified: true } });
    expect((await verifyAudit(ctx.repos.audit)).ok).toBe(true);

    // A second start finds nothing to do.
    report = undefined;
    await buildContext({ conn: db.conn, policy: loadPolicy(), onMigrated: (r) => (report = r) });
    expect(report).toBeUndefined();
    expect(await ctx.repos.audit.history('usecase:UC-7')).toHaveLength(1);
  });

  it('carries on with ordinary versioned writes on the migrated records', async () => {
    const ctx = await buildContext({ conn: db.conn, policy: loadPolicy() });
    await attachEvidence(ctx, { actorId: 'p-owner', key: 'UC-7', controlId: 'CTL-LOGGING', url: 'https://wiki.example.com/logging' });
    const decided = await castVote(ctx, { actorId: 'p-legal', approvalKey: 'APR-3', decision: 'approve' });
    expect(decided.decided).toBe('approved');
    const uc = (await ctx.repos.useCases.get('UC-7'))!;
    expect(uc.evidence).toHaveLength(1);
    expect(uc.stage).toBe('prototype');
    // New keys continue after the old numbers, never reusing one.
    const { record } = await ctx.repos.useCases.create({ ...makeUseCase(), ownerId: 'p-owner' }, () => ({ at, actorId: 'p-owner', action: 'usecase.proposed' }));
    expect(record.key).toBe('UC-8');
    expect((await verifyAudit(ctx.repos.audit)).ok).toBe(true);
  });

  it('notices a broken old chain and says so, without refusing to start', async () => {
    await db.conn.collection('audit').insertOne({ seq: 4, at, actorId: 'x', action: 'forged', subject: 'UC-7', data: {}, prevHash: 'f'.repeat(64), hash: 'e'.repeat(64) });
    report = undefined;
    await buildContext({ conn: db.conn, policy: loadPolicy(), onMigrated: (r) => (report = r) });
    expect(report).toMatchObject({ legacyAudit: 1, legacyChainIntact: false });
  });
});
