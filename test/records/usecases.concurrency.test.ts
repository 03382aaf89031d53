/**
 * Use cases and approvals under concurrent writers, on the real database (FerretDB by default,
 * where conditional updates are not atomic): every acknowledged change survives, and the rules
 * hold against whatever was written concurrently (a suspended use case stays suspended, a
 * decided approval takes no vote, an approval decides once and moves the stage once).
 */
import { castVote } from '../../src/domain/approvals/castVote';
import { requestApproval } from '../../src/domain/approvals/requestApproval';
import type { GateDef } from '../../src/domain/policy';
import type { Person, RoleId } from '../../src/domain/types';
import { attachEvidence } from '../../src/domain/usecases/attachEvidence';
import { suspendUseCase } from '../../src/domain/usecases/suspendUseCase';
import { updateUseCase } from '../../src/domain/usecases/updateUseCase';
import { verifyAudit } from '../../src/domain/audit/verifyAudit';
import { useTestContext } from '../support/context';
import { registerTestPerson } from '../support/people';
import { proposeTestUseCase } from '../support/usecases';

const t = useTestContext();
const ROUNDS = 20;
const WRITERS = 8;
// Each test runs ROUNDS rounds of WRITERS racing writers; on a loaded 2-core machine that takes a while.
jest.setTimeout(400_000);

let owner: Person;
let security: Person;
/** Eight approvers, each the only holder of one role (so a gate can need all eight). */
let approvers: Person[];
const APPROVER_ROLES: RoleId[] = [
  'prompt_engineer',
  'ai_security_specialist',
  'llmops_engineer',
  'domain_expert',
  'data_science_ml',
  'platform_engineering',
  'ai_governance_legal',
  'product_ux_design',
];

beforeAll(async () => {
  owner = await registerTestPerson(t.ctx, ['llm_product_manager'], 'Owner');
  security = await registerTestPerson(t.ctx, ['ai_security_specialist'], 'Security');
  approvers = [];
  for (const role of APPROVER_ROLES) approvers.push(await registerTestPerson(t.ctx, [role], `Approver ${role}`));
});

/** A gate out of the use case's stage needing every one of `roles`, all of them (quorum = all). */
const gateNeeding = (roles: RoleId[]): GateDef => ({
  id: 'prototype',
  from: 'ideation',
  to: 'prototype',
  name: 'Concurrency gate',
  exitCriteria: [],
  approvers: {
    minimal: { roles, quorum: roles.length },
    transparency: { roles, quorum: roles.length },
    high: { roles, quorum: roles.length },
    prohibited: { roles, quorum: roles.length },
  } as GateDef['approvers'],
  expiresAfterDays: 14,
});

const settled = <T>(ps: Promise<T>[]) => Promise.allSettled(ps);
const historyOf = (stream: string) => t.ctx.repos.audit.history(stream);

describe('use cases', () => {
  it(`keeps every one of ${WRITERS} evidence links attached at the same moment (${ROUNDS} rounds)`, async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const uc = await proposeTestUseCase(t.ctx, owner.id, 'high');
      const control = uc.requiredControls[0]!;
      const urls = Array.from({ length: WRITERS }, (_, i) => `https://wiki.example.com/r${round}/e${i}`);
      const results = await settled(urls.map((url) => attachEvidence(t.ctx, { actorId: owner.id, key: uc.key, controlId: control, url })));
      expect(results.filter((r) => r.status === 'rejected')).toEqual([]);
      const stored = (await t.ctx.repos.useCases.get(uc.key))!;
      expect(stored.evidence.map((e) => e.url).sort()).toEqual([...urls].sort());
      const audited = (await historyOf(`usecase:${uc.key}`)).filter((e) => e.action === 'usecase.evidence_attached');
      expect(audited.map((e) => e.data.url).sort()).toEqual([...urls].sort());
      // The projection used by lists caught up with the history.
      expect((await t.ctx.repos.useCases.list({ text: uc.title })).find((u) => u.key === uc.key)?.evidence).toHaveLength(WRITERS);
    }
  });

  it(`a suspension is never undone by evidence attached at the same moment (${ROUNDS} rounds)`, async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const uc = await proposeTestUseCase(t.ctx, owner.id, 'high');
      const control = uc.requiredControls[0]!;
      const evidence = Array.from({ length: WRITERS }, (_, i) =>
        attachEvidence(t.ctx, { actorId: owner.id, key: uc.key, controlId: control, url: `https://wiki.example.com/s${round}/${i}` }),
      );
      const suspend = suspendUseCase(t.ctx, { actorId: security.id, key: uc.key, reason: `round ${round}: prompt injection seen` });
      const [suspended, ...attached] = await settled([suspend, ...evidence]);
      expect(suspended.status).toBe('fulfilled');
      expect(attached.filter((r) => r.status === 'rejected')).toEqual([]);
      const stored = (await t.ctx.repos.useCases.get(uc.key))!;
      expect(stored.stage).toBe('suspended');
      expect(stored.suspendedFrom).toBe('ideation');
      expect(stored.evidence).toHaveLength(WRITERS);
    }
  });

  it('merges concurrent edits of different answers and fields instead of losing one', async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const uc = await proposeTestUseCase(t.ctx, owner.id, 'minimal');
      const edits = [
        updateUseCase(t.ctx, { actorId: owner.id, key: uc.key, title: `Renamed ${round}` }),
        updateUseCase(t.ctx, { actorId: owner.id, key: uc.key, description: `Described ${round}` }),
        updateUseCase(t.ctx, { actorId: owner.id, key: uc.key, models: ['gpt-4o'] }),
      ];
      expect((await settled(edits)).filter((r) => r.status === 'rejected')).toEqual([]);
      expect(await t.ctx.repos.useCases.get(uc.key)).toMatchObject({ title: `Renamed ${round}`, description: `Described ${round}`, models: ['gpt-4o'] });
    }
  });

  it('gives 24 use cases proposed at once 24 different keys', async () => {
    const made = await Promise.all(Array.from({ length: 24 }, (_, i) => proposeTestUseCase(t.ctx, owner.id, 'minimal', { title: `Burst ${i}` })));
    expect(new Set(made.map((u) => u.key)).size).toBe(24);
    for (const u of made) expect((await t.ctx.repos.useCases.get(u.key))?.title).toBe(u.title);
  });
});

describe('approvals', () => {
  it(`records all ${WRITERS} votes cast at once, decides once and moves the stage once (${ROUNDS} rounds)`, async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const uc = await proposeTestUseCase(t.ctx, owner.id, 'minimal');
      const approval = await requestApproval(t.ctx, { useCase: uc, gate: gateNeeding(APPROVER_ROLES), requester: owner });
      const results = await settled(approvers.map((p) => castVote(t.ctx, { actorId: p.id, approvalKey: approval.key, decision: 'approve' })));
      expect(results.filter((r) => r.status === 'rejected')).toEqual([]);
      const deciders = results.filter((r) => r.status === 'fulfilled' && r.value.decided);
      expect(deciders).toHaveLength(1);

      const stored = (await t.ctx.repos.approvals.get(approval.key))!;
      expect(stored.status).toBe('approved');
      expect(stored.votes.map((v) => v.personId).sort()).toEqual(approvers.map((p) => p.id).sort());
      const trail = await historyOf(`approval:${approval.key}`);
      // Version 1 is the request; then one entry per vote, the last of which decided.
      expect(trail.map((e) => e.action)).toEqual(['approval.requested', ...Array(WRITERS - 1).fill('approval.voted'), 'approval.decided']);

      const moved = (await t.ctx.repos.useCases.get(uc.key))!;
      expect(moved.stage).toBe('prototype');
      expect(moved.stageHistory.filter((h) => h.approvalKey === approval.key)).toHaveLength(1);
      const moves = (await historyOf(`usecase:${uc.key}`)).filter((e) => e.action === 'usecase.stage_changed');
      expect(moves).toHaveLength(1);
      expect(moves[0]!.cause).toBe(`approval:${approval.key}`);
    }
  });

  it('a second vote by the same person, sent twice at once, is stored once', async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const uc = await proposeTestUseCase(t.ctx, owner.id, 'minimal');
      const approval = await requestApproval(t.ctx, { useCase: uc, gate: gateNeeding(APPROVER_ROLES.slice(0, 2)), requester: owner });
      const voter = approvers[0]!;
      const results = await settled(Array.from({ length: 4 }, () => castVote(t.ctx, { actorId: voter.id, approvalKey: approval.key, decision: 'approve' })));
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      for (const r of results) if (r.status === 'rejected') expect(r.reason).toMatchObject({ code: 'approval.already_voted' });
      expect((await t.ctx.repos.approvals.get(approval.key))!.votes).toHaveLength(1);
    }
  });

  it(`suspension against the deciding vote: the suspension always wins (${ROUNDS} rounds)`, async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const uc = await proposeTestUseCase(t.ctx, owner.id, 'minimal');
      const approval = await requestApproval(t.ctx, { useCase: uc, gate: gateNeeding(APPROVER_ROLES.slice(0, 2)), requester: owner });
      await castVote(t.ctx, { actorId: approvers[0]!.id, approvalKey: approval.key, decision: 'approve' });
      const [vote, suspend] = await settled<unknown>([
        castVote(t.ctx, { actorId: approvers[1]!.id, approvalKey: approval.key, decision: 'approve' }),
        suspendUseCase(t.ctx, { actorId: security.id, key: uc.key, reason: 'kill switch during the vote' }),
      ]);
      expect(suspend.status).toBe('fulfilled');
      const stored = (await t.ctx.repos.useCases.get(uc.key))!;
      expect(stored.stage).toBe('suspended');
      const decided = (await t.ctx.repos.approvals.get(approval.key))!;
      // Either the vote decided first (and the stage moved, or the suspension got there before
      // the move), or the suspension cancelled the request and the late vote was refused.
      expect(['approved', 'cancelled']).toContain(decided.status);
      if (decided.status === 'cancelled') {
        expect(vote.status).toBe('rejected');
        expect(['approval.decided', 'approval.stage_left']).toContain((vote as PromiseRejectedResult).reason.code);
      }
      const path = stored.stageHistory.map((h) => h.to).join(' > ');
      expect(['ideation > suspended', 'ideation > prototype > suspended']).toContain(path);
      // Never moved behind the switch: nothing follows the suspension.
      const last = (await historyOf(`usecase:${uc.key}`)).at(-1)!;
      expect(last.action).toBe('usecase.suspended');
    }
  });

  it('leaves a trail that verifies after all of the above', async () => {
    const v = await verifyAudit(t.ctx.repos.audit);
    expect(v.firstBroken).toBeUndefined();
    expect(v.ok).toBe(true);
  });
});
