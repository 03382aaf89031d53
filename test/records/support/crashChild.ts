/**
 * Steward's domain as a process that the crash test kills with SIGKILL (test/records/crash.test.ts).
 * Run as `node --import tsx crashChild.ts` (one process: tsx's own CLI would spawn a second one
 * that a kill of the first leaves running). It builds the context as main.ts does, routes events
 * to the real outbox, runs the worker's reaction sweep in the background, and drives bursts until
 * killed: use cases voted through their gates by several approvers at once, and incidents
 * reported (some pulling the kill switch on use cases being voted on).
 *
 * Protocol on stdout, one JSON object a line: {t:'ready'}, {t:'s',id,op} when an operation
 * starts, {t:'e',id,r} when it ends (r: 'ok' | 'refused:<code>' | 'error:<message>'), {t:'done'}
 * when there is no work left, {t:'sweep',completed,failed} after a sweep that did something.
 */
import { buildContext } from '../../../src/app/context';
import { castVote } from '../../../src/domain/approvals/castVote';
import { DomainError } from '../../../src/domain/errors';
import { reportIncident } from '../../../src/domain/incidents/reportIncident';
import type { DomainContext } from '../../../src/domain/ports';
import { sweepReactions } from '../../../src/domain/records/sweepReactions';
import { requestAdvance } from '../../../src/domain/usecases/requestAdvance';
import { routeEvents } from '../../../src/notifications/routeEvents';
import { loadPolicy } from '../../../src/playbooks';
import { connectDatabase } from '../../../src/store/connection';
import { createDeliveryRepository } from '../../../src/store/deliveries.repo';
import { type CrashPlan, FINAL_STAGE } from './crashPlan';

const plan: CrashPlan = JSON.parse(process.env.CRASH_PLAN ?? '{}');
const say = (o: Record<string, unknown>) => process.stdout.write(`${JSON.stringify(o)}\n`);

let nextOp = 0;
/** Runs one domain operation, telling the parent when it starts and how it ended. */
async function op<T>(name: string, fn: () => Promise<T>): Promise<T | undefined> {
  const id = ++nextOp;
  const started = Date.now();
  say({ t: 's', id, op: name });
  try {
    const v = await fn();
    say({ t: 'e', id, ms: Date.now() - started, r: 'ok' });
    return v;
  } catch (e) {
    // Refusals are the rules working (already decided, suspended, busy); anything else is a failure.
    say({ t: 'e', id, ms: Date.now() - started, r: e instanceof DomainError ? `refused:${e.code}` : `error:${e instanceof Error ? e.stack ?? e.message : String(e)}` });
    return undefined;
  }
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));
const shuffled = <T>(xs: T[]): T[] => xs.map((x) => [Math.random(), x] as const).sort((a, b) => a[0] - b[0]).map(([, x]) => x);

/** Votes a use case through its gates up to FINAL_STAGE: request, then every eligible approver at once. */
async function driveUseCase(ctx: DomainContext, key: string): Promise<void> {
  for (let gate = 0; gate < 6; gate++) {
    const uc = await ctx.repos.useCases.get(key);
    if (!uc || uc.stage === FINAL_STAGE || uc.stage === 'suspended' || uc.stage === 'retired') return;
    const [pending] = await ctx.repos.approvals.list({ status: 'pending', useCaseKey: key });
    const approval = pending ?? (await op('request', () => requestAdvance(ctx, { actorId: uc.proposerId, key })))?.approval;
    if (!approval) return; // refused (suspended meanwhile, or a request of a killed run still holds the slot)
    const voters = plan.voters.filter((v) => v.id !== approval.requesterId && v.roles.some((r) => approval.requiredRoles.includes(r)));
    await Promise.all(
      shuffled(voters).map(async (v, i) => {
        await pause(Math.random() * 20 * i);
        // Now and then a rejection: the use case then asks again on its next pass.
        const reject = Math.random() < plan.rejectRate;
        await op('vote', () => castVote(ctx, { actorId: v.id, approvalKey: approval.key, decision: reject ? 'reject' : 'approve', ...(reject ? { reason: 'not yet' } : {}) }));
      }),
    );
  }
}

async function reportOne(ctx: DomainContext, n: number): Promise<void> {
  const useCaseKey = plan.useCases[Math.floor(Math.random() * plan.useCases.length)]!;
  const killSwitch = Math.random() < plan.killSwitchRate;
  await op('incident', () =>
    reportIncident(ctx, {
      reporterId: plan.reporters[n % plan.reporters.length]!,
      useCaseKey,
      category: 'prompt_injection',
      severity: n % 3 === 0 ? 'sev2' : 'sev3',
      title: `Crash round ${plan.round} incident ${n}`,
      description: 'Reported during a burst the test kills at a random moment.',
      killSwitch,
    }),
  );
}

async function main(): Promise<void> {
  const t0 = Date.now();
  const conn = await connectDatabase({ uri: plan.uri, dbName: plan.dbName });
  const t1 = Date.now();
  const ctx = await buildContext({ conn, policy: loadPolicy() });
  const t2 = Date.now();
  const deliveries = createDeliveryRepository(conn);
  routeEvents(ctx, deliveries, { onError: (err, event) => say({ t: 'route_error', event: event.type, err: String(err) }) });

  // The worker's reaction sweep, in the background and with a short grace, so it also races
  // the writers' own reactions (and finishes what the previous, killed, run left).
  let sweeping = true;
  const sweeper = (async () => {
    while (sweeping) {
      // Small passes, so what each finished is reported before the next kill.
      const r = await sweepReactions(ctx, { graceMs: plan.sweepGraceMs, limit: 4, onError: (err) => say({ t: 'sweep_error', err: String(err) }) }).catch((e: unknown) => {
        say({ t: 'sweep_error', err: String(e) });
        return { completed: 0, failed: 0 };
      });
      if (r.completed || r.failed) say({ t: 'sweep', ...r });
      if (!r.completed && !r.failed) await pause(plan.sweepEveryMs);
    }
  })();

  // Start-up cost, for the test's report: loading the code, connecting, building the context (its migration included).
  say({ t: 'ready', loadMs: Math.round(t0 - performance.timeOrigin), connectMs: t1 - t0, contextMs: t2 - t1 });
  // Use cases a bounded number at a time, new ones starting as others finish: first those with a
  // request still pending (people finish what a crash interrupted), then the rest in a random order.
  const pending = new Set((await ctx.repos.approvals.list({ status: 'pending' })).map((a) => a.useCaseKey));
  const queue = [...shuffled(plan.useCases.filter((k) => pending.has(k))), ...shuffled(plan.useCases.filter((k) => !pending.has(k)))];
  const lanes = Array.from({ length: plan.concurrency }, async () => {
    for (let key = queue.shift(); key; key = queue.shift()) await driveUseCase(ctx, key);
  });
  let reported = 0;
  const reporters = Array.from({ length: plan.incidentLanes }, async () => {
    while (reported < plan.incidentsPerRun) {
      await reportOne(ctx, reported++);
      await pause(Math.random() * 100);
    }
  });
  await Promise.all([...lanes, ...reporters]);
  sweeping = false;
  await sweeper;
  say({ t: 'done' });
  await conn.close();
}

main().catch((e: unknown) => {
  say({ t: 'fatal', err: e instanceof Error ? e.stack ?? e.message : String(e) });
  process.exit(1);
});
