/**
 * Consequences of a stored change survive the death of the process that stored it. A "crash"
 * here is a change written exactly as in production with its reactions never run (a context
 * whose `react` does nothing, or a repository create called directly). sweepReactions must
 * then complete it exactly once: the use case moves once, every message lands in the outbox
 * once, a second sweep changes nothing, and sweeps running at the same time still move once.
 */
import { castVote } from '../../src/domain/approvals/castVote';
import { requestApproval } from '../../src/domain/approvals/requestApproval';
import type { DomainContext } from '../../src/domain/ports';
import { killSwitchCause, killSwitchReason } from '../../src/domain/incidents/killSwitch';
import { sweepReactions } from '../../src/domain/records/sweepReactions';
import type { GateDef } from '../../src/domain/policy';
import type { Approval, Incident, Person, UseCase } from '../../src/domain/types';
import { routeEvents } from '../../src/notifications/routeEvents';
import { createDeliveryRepository, type MongoDeliveryRepository } from '../../src/store/deliveries.repo';
import { useTestContext } from '../support/context';
import { registerTestPerson } from '../support/people';
import { proposeTestUseCase } from '../support/usecases';

// 20 rounds of 8 sweepers on FerretDB take about two minutes on a quiet machine.
jest.setTimeout(600_000);

const t = useTestContext();
const GRACE_MS = 10_000;
const ROUNDS = 20;
let deliveries: MongoDeliveryRepository;
let unroute: () => void;
let owner: Person;
let approver: Person;
let gate: GateDef;
/** The same context, but a writer that dies right after its write: nothing reacts. */
let crashed: DomainContext;

beforeAll(async () => {
  deliveries = createDeliveryRepository(t.ctx.conn);
  await deliveries.init();
  // As in a worker: events emitted on the bus queue their messages in the outbox.
  unroute = routeEvents(t.ctx, deliveries);
  owner = await registerTestPerson(t.ctx, ['llm_product_manager'], 'Owner');
  approver = await registerTestPerson(t.ctx, ['ai_coe_admin'], 'Approver');
  gate = t.ctx.policy.lifecycle.gates.find((g) => g.id === 'prototype')!;
  crashed = { ...t.ctx, react: async () => undefined };
});
afterAll(() => unroute());

const sweep = () => sweepReactions(t.ctx, { graceMs: GRACE_MS, onError: (err) => { throw err; } });
const historyOf = (stream: string) => t.ctx.repos.audit.history(stream);
/** How many outbox messages, and first-attempt queue entries, each key has. */
async function outbox(prefix: string): Promise<Map<string, { stored: number; queued: number }>> {
  const re = new RegExp(`^${prefix.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`);
  const stored: any[] = await deliveries.model.find({ _id: re }, { _id: 1 }).lean();
  const queued: any[] = await deliveries.queue.find({ key: re }, { key: 1 }).lean();
  const byKey = new Map<string, { stored: number; queued: number }>();
  for (const d of stored) byKey.set(d._id, { stored: (byKey.get(d._id)?.stored ?? 0) + 1, queued: 0 });
  for (const q of queued) byKey.set(q.key, { stored: byKey.get(q.key)?.stored ?? 0, queued: (byKey.get(q.key)?.queued ?? 0) + 1 });
  return byKey;
}
const everyOnce = (m: Map<string, { stored: number; queued: number }>) => [...m.values()].every((v) => v.stored === 1 && v.queued === 1);

/** An approval decided by a writer that died before moving the stage or telling anyone. */
async function crashedDecision(): Promise<{ uc: UseCase; approval: Approval }> {
  const uc = await proposeTestUseCase(t.ctx, owner.id, 'minimal');
  const approval = await requestApproval(t.ctx, { useCase: uc, gate, requester: owner });
  const { decided } = await castVote(crashed, { actorId: approver.id, approvalKey: approval.key, decision: 'approve' });
  expect(decided).toBe('approved');
  return { uc, approval };
}

/** Version 1 of an incident with its events, written straight through the repository: never announced, switch never applied. */
async function crashedIncident(useCaseKey: string): Promise<Incident> {
  const now = t.clock.now();
  const { record } = await t.ctx.repos.incidents.create(
    {
      useCaseKey,
      category: 'data_leakage',
      severity: 'sev2',
      title: 'Customer data in answers',
      description: 'The assistant quoted another customer.',
      redactions: [],
      reporterId: owner.id,
      ownerId: owner.id,
      status: 'reported',
      timeline: [{ at: now, by: owner.id, kind: 'reported', text: 'Reported as sev2 data_leakage.' }],
      killSwitch: true,
      createdAt: now,
      updatedAt: now,
    },
    (key) => ({
      at: now,
      actorId: owner.id,
      action: 'incident.reported',
      data: { category: 'data_leakage', severity: 'sev2', useCaseKey, ownerId: owner.id, killSwitch: true },
      events: [{ type: 'incident.reported', at: now, actorId: owner.id, incidentKey: key, ownerId: owner.id, severity: 'sev2', useCaseKey }],
    }),
  );
  return record;
}

async function expectMovedOnce(uc: UseCase, approval: Approval) {
  const stored = (await t.ctx.repos.useCases.get(uc.key))!;
  expect(stored.stage).toBe('prototype');
  expect(stored.stageHistory.filter((h) => h.approvalKey === approval.key)).toHaveLength(1);
  const moves = (await historyOf(`usecase:${uc.key}`)).filter((e) => e.action === 'usecase.stage_changed');
  expect(moves.map((e) => e.cause)).toEqual([`approval:${approval.key}`]);
  const told = await outbox(`approval.decided:${approval.key}:`);
  expect(told.has(`approval.decided:${approval.key}:${owner.id}`)).toBe(true);
  expect(everyOnce(told)).toBe(true);
}

async function expectSuspendedOnce(useCaseKey: string, incident: Incident) {
  const stored = (await t.ctx.repos.useCases.get(useCaseKey))!;
  expect(stored.stage).toBe('suspended');
  expect(stored.stageHistory.filter((h) => h.reason === killSwitchReason(incident.key))).toHaveLength(1);
  const suspensions = (await historyOf(`usecase:${useCaseKey}`)).filter((e) => e.cause === killSwitchCause(incident.key));
  expect(suspensions).toHaveLength(1);
  const announced = await outbox(`incident.reported:${incident.key}:`);
  expect([...announced.keys()].sort()).toEqual([`incident.reported:${incident.key}:${owner.id}`, `incident.reported:${incident.key}:channel`].sort());
  expect(everyOnce(announced)).toBe(true);
}

/** Everything a sweep could change: the trail and the outbox. */
const snapshot = async () => ({
  entries: await t.ctx.conn.collection('history').countDocuments(),
  messages: await deliveries.model.countDocuments(),
  queued: await deliveries.queue.countDocuments(),
});

describe('sweepReactions after a crash', () => {
  it('completes an approval decided without its stage move or notices, once; a second sweep changes nothing', async () => {
    const { uc, approval } = await crashedDecision();
    expect((await t.ctx.repos.useCases.get(uc.key))!.stage).toBe('ideation');
    expect((await outbox(`approval.decided:${approval.key}:`)).size).toBe(0);

    // Within the grace period the writer may still be at it: the sweep leaves the entry alone.
    expect(await sweep()).toEqual({ completed: 0, failed: 0 });
    expect((await t.ctx.repos.useCases.get(uc.key))!.stage).toBe('ideation');

    t.clock.advanceMs(GRACE_MS + 1000);
    const first = await sweep();
    expect(first.failed).toBe(0);
    expect(first.completed).toBeGreaterThanOrEqual(1);
    await expectMovedOnce(uc, approval);

    const before = await snapshot();
    expect(await sweep()).toEqual({ completed: 0, failed: 0 });
    expect(await snapshot()).toEqual(before);
    await expectMovedOnce(uc, approval);
  });

  it('announces an incident stored without its reactions and applies its kill switch, once', async () => {
    const uc = await proposeTestUseCase(t.ctx, owner.id, 'minimal');
    const incident = await crashedIncident(uc.key);
    expect((await t.ctx.repos.useCases.get(uc.key))!.stage).toBe('ideation');
    t.clock.advanceMs(GRACE_MS + 1000);
    expect((await sweep()).failed).toBe(0);
    await expectSuspendedOnce(uc.key, incident);

    const before = await snapshot();
    expect(await sweep()).toEqual({ completed: 0, failed: 0 });
    expect(await snapshot()).toEqual(before);
  });

  it(`8 sweeps at the same time complete each crashed change exactly once (${ROUNDS} rounds)`, async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const decisions = [await crashedDecision()];
      const target = await proposeTestUseCase(t.ctx, owner.id, 'minimal');
      const incident = await crashedIncident(target.key);
      t.clock.advanceMs(GRACE_MS + 1000);
      const results = await Promise.all(Array.from({ length: 8 }, sweep));
      expect(results.every((r) => r.failed === 0)).toBe(true);
      for (const { uc, approval } of decisions) await expectMovedOnce(uc, approval);
      await expectSuspendedOnce(target.key, incident);
      const before = await snapshot();
      await sweep();
      expect(await snapshot()).toEqual(before);
    }
  });
});
