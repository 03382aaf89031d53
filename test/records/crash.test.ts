/**
 * Issue 11, "Crash:": Steward's domain runs as a child process driving bursts of approvals
 * (several approvers voting at once) and incidents (some pulling the kill switch on use cases
 * being voted on); the test kills it with SIGKILL at random moments, restarts it, and after a
 * last kill recovers as a restarted Steward does (start-up migration re-projects, then the
 * reaction sweep). The database must then hold: no approval approved without its stage move,
 * no pending approval whose votes already decide it, no change without its audit entry (every
 * projection's version is in the history, every stream 1..n, the trail verifies), every incident
 * announced exactly once, no duplicate notification.
 */
import { buildContext, type AppContext } from '../../src/app/context';
import { sweepReactions } from '../../src/domain/records/sweepReactions';
import type { Person, RiskTier, RoleId } from '../../src/domain/types';
import { routeEvents } from '../../src/notifications/routeEvents';
import { loadPolicy } from '../../src/playbooks';
import { connectDatabase } from '../../src/store/connection';
import { createDeliveryRepository } from '../../src/store/deliveries.repo';
import { useTestDatabase } from '../support/db';
import { registerTeam, registerTestPerson } from '../support/people';
import { proposeTestUseCase } from '../support/usecases';
import { checkAfterCrashes } from './support/crashChecks';
import type { CrashPlan } from './support/crashPlan';
import { runAndKill, type RoundResult } from './support/crashRunner';

// Six child starts (tsx compiles at each) plus set-up and checks: well under this on a loaded 2-core machine.
jest.setTimeout(240_000);

const db = useTestDatabase();
const ROUNDS = 6;
const USE_CASES = 24;
/** Roles voting on the gates driven here (ideation → prototype → evaluation, tiers minimal and high). */
const VOTING_ROLES: RoleId[] = ['llm_product_manager', 'ai_governance_legal', 'domain_expert', 'data_science_ml', 'ai_coe_admin'];

let plan: Omit<CrashPlan, 'round'>;

beforeAll(async () => {
  const ctx = await buildContext({ conn: db.conn, policy: loadPolicy() });
  const team = await registerTeam(ctx);
  // A second holder of each voting role: approvals get more concurrent votes than they need.
  const extras: Person[] = [];
  for (const role of VOTING_ROLES) extras.push(await registerTestPerson(ctx, [role], `Second ${role}`));
  const voters = [...VOTING_ROLES.map((r) => team[r]!), ...extras].map((p) => ({ id: p.id, roles: p.roles }));
  // The proposer (and so requester) votes on none of these gates.
  const proposer = team.llmops_engineer!;
  const useCases: string[] = [];
  for (let i = 0; i < USE_CASES; i += 6) {
    const batch = Array.from({ length: Math.min(6, USE_CASES - i) }, (_, j) => {
      const tier: RiskTier = (i + j) % 2 ? 'high' : 'minimal';
      return proposeTestUseCase(ctx, proposer.id, tier, { title: `Crash use case ${i + j}` });
    });
    useCases.push(...(await Promise.all(batch)).map((uc) => uc.key));
  }
  plan = {
    uri: db.uri,
    dbName: db.dbName,
    useCases,
    voters,
    reporters: [team.prompt_engineer!.id, team.product_ux_design!.id, team.platform_engineering!.id],
    concurrency: 6,
    incidentLanes: 2,
    incidentsPerRun: 8,
    killSwitchRate: 0.25,
    rejectRate: 0.08,
    sweepEveryMs: 500,
    sweepGraceMs: 1500,
  };
});

it('after kill -9 at random moments and a restart, nothing is half done, unaudited, unannounced or sent twice', async () => {
  const rounds: RoundResult[] = [];
  for (let round = 1; round <= ROUNDS; round++) {
    // 100–1500 ms into the child's bursts.
    rounds.push(await runAndKill({ ...plan, round }, 100 + Math.floor(Math.random() * 1400)));
  }

  // Recovery as a restarted Steward: a new process's context (its start-up migration re-projects
  // what a crash left behind the history), event routing to the outbox, the reaction sweep with
  // no grace (nothing else is running), and the dispatcher's re-queueing of orphaned messages.
  const conn = await connectDatabase({ uri: db.uri, dbName: db.dbName });
  try {
    let reprojected = 0;
    const ctx: AppContext = await buildContext({ conn, policy: loadPolicy(), onMigrated: (r) => (reprojected = r.reprojected) });
    const deliveries = createDeliveryRepository(conn);
    const routeErrors: unknown[] = [];
    routeEvents(ctx, deliveries, { onError: (err) => routeErrors.push(err) });
    const sweepErrors: unknown[] = [];
    const swept = { completed: 0, failed: 0 };
    // A reaction's own writes are reacted to in the same pass (the fast path); a second sweep must find nothing.
    for (let i = 0; i < 3; i++) {
      const r = await sweepReactions(ctx, { graceMs: 0, onError: (err) => sweepErrors.push(err) });
      if (!r.completed && !r.failed) break;
      swept.completed += r.completed;
      swept.failed += r.failed;
    }
    const requeued = await deliveries.requeueOrphans(new Date(0), new Date());

    const findings = await checkAfterCrashes(ctx, deliveries);
    const summary = {
      rounds: rounds.map((r) => ({ startupMs: r.startupMs, child: r.ready, killAfterMs: r.killAfterMs, killed: r.killed, started: r.started, inFlight: r.inFlightByOp, ended: r.ended, swept: r.swept })),
      recovery: { reprojected, swept, requeued },
      counts: findings.counts,
      notes: findings.notes,
    };
    console.log(`crash test: ${JSON.stringify(summary, null, 1)}`);

    // Nothing half done, unaudited, unannounced or doubled (each rule lists the records breaking it).
    expect(Object.fromEntries(Object.entries(findings.broken).filter(([, records]) => records.length))).toEqual({});
    expect(findings.verification).toMatchObject({ ok: true });
    expect({ child: rounds.flatMap((r) => r.errors), route: routeErrors.map(String), sweep: sweepErrors.map(String) }).toEqual({ child: [], route: [], sweep: [] });

    // And the run tested something: most kills cut operations off, and work got done across the
    // restarts (decisions and incidents for the rules above to hold on).
    expect(rounds.filter((r) => r.killed && r.inFlight > 0).length).toBeGreaterThanOrEqual(Math.ceil(ROUNDS / 2));
    expect((findings.counts['approval.approved'] ?? 0) + (findings.counts['approval.rejected'] ?? 0)).toBeGreaterThan(0);
    expect(findings.counts.incidents).toBeGreaterThan(0);
  } finally {
    await conn.close();
  }
});
