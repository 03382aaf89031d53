/**
 * Approvals against their expiry (issue 7 item 3): approvers who have not voted are nudged in
 * the window before expiry (NUDGE_BEFORE_EXPIRY_MS, a day by default), once each; a request
 * past its expiry is expired exactly once, even by concurrent sweeps, and the requester is told.
 */
import { castVote } from '../../src/domain/approvals/castVote';
import { ConflictError } from '../../src/domain/errors';
import { DAY_MS } from '../../src/domain/schedules/dates';
import { NUDGE_BEFORE_EXPIRY_MS, approvalNudgeKey, sweepApprovals } from '../../src/domain/schedules/sweepApprovals';
import type { Approval, Person } from '../../src/domain/types';
import { requestAdvance } from '../../src/domain/usecases/requestAdvance';
import { routeEvents } from '../../src/notifications/routeEvents';
import { registerTeam, registerTestPerson, type Team } from '../support/people';
import { proposeTestUseCase } from '../support/usecases';
import { deliveriesWith, newKeys, recipientOf, sorted, useSweepContext } from './sweepSupport';
import { sweepReactions } from '../../src/domain/records/sweepReactions';
import { decide } from '../../src/domain/approvals/closeApproval';

const t = useSweepContext();
let team: Team;
let secondPm: Person;

beforeAll(async () => {
  t.clock.set('2026-09-01T09:00:00Z');
  team = await registerTeam(t.ctx);
  // The requester is never an approver: a second product manager lets high-tier gates be staffed.
  secondPm = await registerTestPerson(t.ctx, ['llm_product_manager'], 'Second PM (test)');
});

const nudgePrefix = (a: Approval) => `approval.expiring:${a.key}:`;
const at = (ms: number) => new Date(ms);

async function openApproval(tier: 'minimal' | 'high', title: string): Promise<Approval> {
  const uc = await proposeTestUseCase(t.ctx, team.llm_product_manager!.id, tier, { title });
  const { approval } = await requestAdvance(t.ctx, { actorId: team.llm_product_manager!.id, key: uc.key });
  expect(approval.status).toBe('pending');
  return approval;
}

describe('approvals sweep', () => {
  it('nudges only the approvers who have not voted, once, from a day before expiry', async () => {
    t.clock.set('2026-09-01T09:00:00Z');
    const approval = await openApproval('high', 'Interview screening assistant');
    const gate = t.ctx.policy.lifecycle.gates.find((g) => g.id === approval.gateId)!;
    expect(approval.expiresAt).toEqual(at(t.clock.now().getTime() + gate.expiresAfterDays * DAY_MS));
    expect(sorted(approval.approverIds)).toEqual(sorted([secondPm.id, team.ai_governance_legal!.id]));

    t.clock.advanceDays(2);
    const voted = await castVote(t.ctx, { actorId: secondPm.id, approvalKey: approval.key, decision: 'approve' });
    expect(voted.decided).toBeUndefined(); // legal still has to approve

    const windowOpens = approval.expiresAt.getTime() - NUDGE_BEFORE_EXPIRY_MS;
    t.clock.set(at(windowOpens - 1));
    expect(await newKeys(t, nudgePrefix(approval), () => sweepApprovals(t.sctx))).toEqual([]);

    t.clock.set(at(windowOpens));
    expect(await newKeys(t, nudgePrefix(approval), () => sweepApprovals(t.sctx))).toEqual([approvalNudgeKey(approval.key, team.ai_governance_legal!.id)]);
    const [nudge] = await deliveriesWith(t, nudgePrefix(approval));
    expect(recipientOf(nudge!)).toBe(team.ai_governance_legal!.id);
    expect(nudge!.text).toContain(approval.key);
    expect(nudge!.text).toContain(`approve ${approval.key}`);
    expect(nudge!.text).toContain('24 hours');

    // Later sweeps inside the window (hourly, and two at once) nudge nobody again.
    t.clock.set(at(approval.expiresAt.getTime() - 3_600_000));
    expect(await newKeys(t, nudgePrefix(approval), () => Promise.all([sweepApprovals(t.sctx), sweepApprovals(t.sctx)]))).toEqual([]);
    const still = (await t.ctx.repos.approvals.get(approval.key))!;
    expect(still.status).toBe('pending');
    expect(still.votes.map((v) => v.personId)).toEqual([secondPm.id]);
  });

  it('honours a longer nudge window given by the job payload', async () => {
    t.clock.set('2026-09-20T09:00:00Z');
    const approval = await openApproval('minimal', 'Meeting notes summariser');
    expect(approval.approverIds).not.toContain(team.llm_product_manager!.id);
    const threeDays = 3 * DAY_MS;
    t.clock.set(at(approval.expiresAt.getTime() - threeDays - 1));
    expect(await newKeys(t, nudgePrefix(approval), () => sweepApprovals(t.sctx, { nudgeBeforeMs: threeDays }))).toEqual([]);
    t.clock.set(at(approval.expiresAt.getTime() - threeDays));
    const added = await newKeys(t, nudgePrefix(approval), () => sweepApprovals(t.sctx, { nudgeBeforeMs: threeDays }));
    expect(added).toEqual(sorted(approval.approverIds.map((id) => approvalNudgeKey(approval.key, id))));
  });

  it('expires a request past its expiry exactly once under concurrent sweeps, and tells the requester', async () => {
    const stop = routeEvents(t.ctx, t.deliveries);
    try {
      t.clock.set('2026-10-05T09:00:00Z');
      const approval = await openApproval('minimal', 'Policy Q&A bot');
      const requester = approval.requesterId;
      expect(requester).toBe(team.llm_product_manager!.id);

      // The sweep did not run in the nudge window (a worker was down): it goes straight to expiry.
      t.clock.set(at(approval.expiresAt.getTime() + 60_000));
      const results = await Promise.all([sweepApprovals(t.sctx), sweepApprovals(t.sctx), sweepApprovals(t.sctx)]);
      expect(results.flatMap((r) => r.expired).filter((k) => k === approval.key)).toEqual([approval.key]);
      expect(await deliveriesWith(t, nudgePrefix(approval))).toEqual([]); // no nudge after the expiry

      const expired = (await t.ctx.repos.approvals.get(approval.key))!;
      expect(expired.status).toBe('expired');
      expect(expired.decidedBy).toBe('system');
      expect(expired.decidedAt).toEqual(t.clock.now());
      expect(expired.reasons.join(' ')).toContain(approval.expiresAt.toISOString().slice(0, 10));
      const uc = (await t.ctx.repos.useCases.get(approval.useCaseKey))!;
      expect(uc.stage).toBe(approval.fromStage); // nothing moved

      const decidedEvents = t.events.filter((e) => e.type === 'approval.decided' && e.approvalKey === approval.key);
      expect(decidedEvents).toHaveLength(1);
      let audits = 0;
      for await (const entry of t.ctx.repos.audit.all()) if (entry.action === 'approval.decided' && entry.subject === approval.key) audits++;
      expect(audits).toBe(1);

      const told = await deliveriesWith(t, `approval.decided:${approval.key}:`);
      expect(told.map(recipientOf)).toContain(requester);
      expect(told.map((d) => d.key)).toContain(`approval.decided:${approval.key}:${requester}`);
      for (const d of told) expect(d.text).toContain('expired');
      expect(new Set(told.map(recipientOf)).size).toBe(told.length);

      // Later sweeps change nothing; a late vote is refused; a new request can be made.
      t.clock.advanceDays(1);
      const again = await sweepApprovals(t.sctx);
      expect(again.expired).not.toContain(approval.key);
      expect(await deliveriesWith(t, `approval.decided:${approval.key}:`)).toHaveLength(told.length);
      await expect(castVote(t.ctx, { actorId: team.ai_coe_admin!.id, approvalKey: approval.key, decision: 'approve' })).rejects.toBeInstanceOf(ConflictError);
      const retry = await requestAdvance(t.ctx, { actorId: requester, key: approval.useCaseKey });
      expect(retry.approval.key).not.toBe(approval.key);
      expect(retry.approval.status).toBe('pending');
    } finally {
      stop();
    }
  });

  // The expiry is one write (the approval's next version); what follows from it (the requester
  // told, everyone Informed) is derived from that durable version. A worker that dies right after
  // the write leaves the consequences to the reaction sweep, which sends each exactly once.
  it('completes the consequences of an expiry whose worker died right after writing it', async () => {
    const stop = routeEvents(t.ctx, t.deliveries);
    try {
      t.clock.set('2026-10-20T09:00:00Z');
      const approval = await openApproval('minimal', 'Crash-interrupted expiry');
      t.clock.set(at(approval.expiresAt.getTime() + 60_000));
      // The dying worker got this far: the expired version is stored, its reactions never ran.
      const current = (await t.ctx.repos.approvals.get(approval.key))!;
      const step = await decide(t.ctx, current, { status: 'expired', by: 'system', reasons: ['no decision'] }, { action: 'approval.decided', data: {} });
      await t.ctx.repos.approvals.save(step.record, step.change);
      expect(await t.deliveries.get(`approval.decided:${approval.key}:${approval.requesterId}`)).toBeNull();

      t.clock.advanceMs(30 * 60_000); // the next sweep, half an hour later
      await sweepApprovals(t.sctx);
      expect((await sweepReactions(t.ctx, { graceMs: 10_000 })).completed).toBe(1);
      expect((await t.ctx.repos.approvals.get(approval.key))!.status).toBe('expired');
      expect(await t.deliveries.get(`approval.decided:${approval.key}:${approval.requesterId}`)).not.toBeNull();
      expect((await sweepReactions(t.ctx, { graceMs: 10_000 })).completed).toBe(0);
    } finally {
      stop();
    }
  });

  it('leaves decided approvals alone: no nudge, no expiry', async () => {
    t.clock.set('2026-11-02T09:00:00Z');
    const approval = await openApproval('minimal', 'Release notes drafter');
    const decided = await castVote(t.ctx, { actorId: team.ai_coe_admin!.id, approvalKey: approval.key, decision: 'approve' });
    expect(decided.decided).toBe('approved');

    t.clock.set(at(approval.expiresAt.getTime() - NUDGE_BEFORE_EXPIRY_MS / 2));
    expect(await newKeys(t, nudgePrefix(approval), () => sweepApprovals(t.sctx))).toEqual([]);
    t.clock.set(at(approval.expiresAt.getTime() + DAY_MS));
    const result = await sweepApprovals(t.sctx);
    expect(result.expired).not.toContain(approval.key);
    const stored = (await t.ctx.repos.approvals.get(approval.key))!;
    expect(stored.status).toBe('approved');
    expect((await t.ctx.repos.useCases.get(approval.useCaseKey))!.stage).toBe(approval.toStage);
  });
});
