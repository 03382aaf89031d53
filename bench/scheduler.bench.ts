/**
 * Scheduler benchmark (`npm run bench:scheduler`; not part of the test suite).
 * 10,000 reviews fall due at the same moment; two workers (real Agenda, real database) run the
 * review sweep and send the reminders through a recording channel. Reports the time until every
 * reminder was delivered and the number of duplicates (must be 0). Target (issue 16): under 30 s.
 * Also prints where each worker's time went: the sweep, each outbox method (summed waits; calls
 * overlap) and the channel router with its person lookups; and one BENCH_JSON line per run.
 * Setup (untimed) inserts the records in bulk: see bench/support/seedRecords.ts.
 *
 * Database: bench/support/benchDatabase.ts (MONGODB_URI, or one started in a temporary folder).
 * BENCH_REMINDERS changes the count.
 */
import { loadavg } from 'node:os';
import { isDeepStrictEqual } from 'node:util';
import { buildContext } from '../src/app/context';
import type { Notifier, OutboundMessage } from '../src/domain/ports';
import { CompositeNotifier } from '../src/notifications/compositeNotifier';
import { loadPolicy } from '../src/playbooks';
import { reviewsSweepJob } from '../src/scheduler/jobs';
import { startWorker } from '../src/scheduler/worker';
import { openBenchDatabase } from './support/benchDatabase';
import { verifyAudit } from '../src/domain/audit/verifyAudit';
import { seedVersionOne } from './support/seedRecords';
import { formatTimings, timedDeliveries } from './support/timedDeliveries';
import { createDeliveryRepository } from '../src/store/deliveries.repo';
import type { MongoReviewRepository } from '../src/store/reviews.repo';
import type { MongoUseCaseRepository } from '../src/store/useCases.repo';

const COUNT = Number(process.env.BENCH_REMINDERS ?? 10_000);
const PEOPLE = 100;

class CountingNotifier implements Notifier {
  readonly sends = new Map<string, number>();
  total = 0;
  async send(message: OutboundMessage): Promise<{ ref: string }> {
    this.total++;
    this.sends.set(message.key, (this.sends.get(message.key) ?? 0) + 1);
    return { ref: `bench-${this.total}` };
  }
}

async function main(): Promise<void> {
  const db = await openBenchDatabase('scheduler');
  const conn = db.conn;
  try {
    const ctx = await buildContext({ conn, policy: loadPolicy() });
    const deliveries = createDeliveryRepository(conn);
    await deliveries.init();

    // Setup (not timed): people, use cases in production and one review each, all due now.
    const now = new Date();
    const dueAt = new Date(now.getTime() - 60_000);
    const setupStarted = Date.now();
    const phase = (what: string) => console.log(`setup: ${what} at ${((Date.now() - setupStarted) / 1000).toFixed(1)} s`);
    for (let i = 0; i < PEOPLE; i++) {
      await ctx.repos.people.create({ id: `bp${i}`, name: `Bench ${i}`, slackUserId: `UB${i}`, roles: ['ai_security_specialist'], createdAt: now }, { at: now, actorId: 'system', action: 'person.registered' });
    }
    const created = new Date(now.getTime() - 90 * 86_400_000);
    const useCases = Array.from({ length: COUNT }, (_, i) => ({
      key: `UC-${i + 1}`,
      seq: i + 1,
      title: `Bench use case ${i + 1}`,
      description: 'bench',
      proposerId: `bp${i % PEOPLE}`,
      ownerId: `bp${i % PEOPLE}`,
      stage: 'production',
      stageEnteredAt: created,
      stageHistory: [],
      tier: 'high',
      tierReasons: [],
      dataClasses: ['internal'],
      answers: {},
      requiredControls: [],
      evidence: [],
      raci: [{ area: 'safety_compliance', responsible: [`bp${i % PEOPLE}`], accountable: [`bp${(i + 1) % PEOPLE}`], consulted: [], informed: [] }],
      models: [],
      createdAt: created,
      updatedAt: created,
    }));
    // Version 1 of each use case and of its open review, inserted in bulk (bench/support/
    // seedRecords.ts: the same history entries and projections the write path makes, as the
    // start-up migration gives a database from before histories), then checked with the real
    // code: the whole audit trail verifies (every entry's HMAC and link), and for a sample the
    // record read from its history equals its projection at version 1. (Running the migration
    // itself over 20,000 records costs several point reads each on FerretDB: many minutes.)
    phase(`${PEOPLE} people created through the repository`);
    const ucRepo = ctx.repos.useCases as MongoUseCaseRepository;
    const reviewRepo = ctx.repos.reviews as MongoReviewRepository;
    const seeded = { at: now, actorId: 'system', action: 'record.migrated', data: { note: 'state as found when histories were introduced' } };
    await seedVersionOne(conn, ucRepo.records, useCases.map((u) => ucRepo.records.opts.fromState(u)), seeded);
    await seedVersionOne(
      conn,
      reviewRepo.records,
      useCases.map((u) => reviewRepo.records.opts.fromState({ useCaseKey: u.key, cycle: 1, dueAt, tier: 'high', frameworks: [] })),
      seeded,
    );
    phase('records seeded');
    for (let i = 0; i < COUNT; i += Math.ceil(COUNT / 10)) {
      const key = `UC-${i + 1}`;
      const [uc, projected, review] = await Promise.all([ucRepo.get(key), ucRepo.model.collection.findOne({ _id: key as never }), reviewRepo.get(`${key}#1`)]);
      if (uc?.rev !== 1 || projected?.rev !== 1 || !isDeepStrictEqual({ ...ucRepo.records.opts.fromState(projected), rev: 1 }, uc) || review?.rev !== 1 || review.dueAt.getTime() !== dueAt.getTime()) {
        throw new Error(`setup: ${key} as seeded differs from what the write path would read back: ${JSON.stringify({ uc, projected, review })}`);
      }
    }
    phase('a sample read back through the repositories');
    const audit = await verifyAudit(ctx.repos.audit);
    if (!audit.ok) throw new Error(`setup: the seeded audit trail does not verify (${JSON.stringify(audit.firstBroken)})`);
    console.log(`setup: ${COUNT} use cases with a review due ${dueAt.toISOString()} (${((Date.now() - setupStarted) / 1000).toFixed(1)} s; ${audit.entries} history entries verified)`);

    const channel = new CountingNotifier();
    const workers = [];
    const profiles: Array<{ name: string; timings: ReturnType<typeof timedDeliveries>['timings']; jobs: string[]; routeTiming: { calls: number; ms: number; lookups: number; lookupMs: number; batchLookups: number; batchLookupMs: number } }> = [];
    const t0 = Date.now();
    const since = () => ((Date.now() - t0) / 1000).toFixed(1);
    for (const name of ['bench-a', 'bench-b']) {
      // The channel router, timed too: it looks each recipient up (cached for 30 s) before sending.
      const routeTiming = { calls: 0, ms: 0, lookups: 0, lookupMs: 0, batchLookups: 0, batchLookupMs: 0 };
      const timedRead = async <R>(read: () => Promise<R>, batch: boolean): Promise<R> => {
        const started = performance.now();
        try {
          return await read();
        } finally {
          if (batch) {
            routeTiming.batchLookups++;
            routeTiming.batchLookupMs += performance.now() - started;
          } else {
            routeTiming.lookups++;
            routeTiming.lookupMs += performance.now() - started;
          }
        }
      };
      const people = {
        findById: (id: string) => timedRead(() => ctx.repos.people.findById(id), false),
        findMany: (ids: string[]) => timedRead(() => ctx.repos.people.findMany!(ids), true),
      };
      const composite = new CompositeNotifier(people).register('slack', channel);
      const router = {
        prepare: (messages: OutboundMessage[]) => composite.prepare(messages),
        route: async (m: OutboundMessage, sent: Record<string, string>) => {
          const started = performance.now();
          try {
            return await composite.route(m, sent);
          } finally {
            routeTiming.calls++;
            routeTiming.ms += performance.now() - started;
          }
        },
      };
      // Each worker its own outbox handle, timed per method (bench/support/timedDeliveries.ts).
      const timed = timedDeliveries(createDeliveryRepository(conn));
      const profile = { name, timings: timed.timings, jobs: [] as string[], routeTiming };
      profiles.push(profile);
      const verbose = !!process.env.BENCH_VERBOSE;
      workers.push(
        await startWorker(ctx, {
          name,
          router,
          deliveries: timed.repo,
          jobs: [reviewsSweepJob],
          processEvery: 200,
          dispatchEveryMs: 200,
          routeEvents: false,
          logger: {
            info: (o, m) => {
              if (m === 'scheduled job done') profile.jobs.push(`${(o as { job?: string }).job} ${JSON.stringify((o as { result?: unknown }).result)} ${(o as { ms?: number }).ms} ms (ended at ${since()} s)`);
              if (verbose) console.log(since(), name, m, JSON.stringify(o));
            },
            error: (o, m) => console.log(since(), name, m, o),
          },
          dispatcher: { batchSize: Number(process.env.BENCH_BATCH ?? 2000), concurrency: 32 },
        }),
      );
    }
    const deadline = t0 + 300_000;
    let firstSend = 0;
    while (channel.sends.size < COUNT && Date.now() < deadline) {
      if (!firstSend && channel.total) firstSend = (Date.now() - t0) / 1000;
      await new Promise((r) => setTimeout(r, 100));
    }
    const elapsed = (Date.now() - t0) / 1000;
    await new Promise((r) => setTimeout(r, 2000)); // let any late duplicate show up
    for (const w of workers) await w.stop();
    const duplicates = channel.total - channel.sends.size;
    for (const p of profiles) console.log(`${p.name}: ${p.jobs.join('; ') || 'no sweep finished'}\n  outbox: ${formatTimings(p.timings)}\n  router: ${p.routeTiming.calls}× ${Math.round(p.routeTiming.ms)} ms, of which ${p.routeTiming.lookups} single person lookups ${Math.round(p.routeTiming.lookupMs)} ms; ${p.routeTiming.batchLookups} batch lookups ${Math.round(p.routeTiming.batchLookupMs)} ms`);
    const figures = { reminders: COUNT, workers: 2, delivered: channel.sends.size, sends: channel.total, duplicates, firstSendSeconds: firstSend, seconds: elapsed, target: '< 30 s' };
    console.log(`BENCH_JSON ${JSON.stringify({ ...figures, load: loadavg()[0]!.toFixed(2), at: new Date().toISOString() })}`);
    console.log(JSON.stringify(figures, null, 2));
    if (channel.sends.size < COUNT || duplicates > 0) process.exitCode = 1;
  } finally {
    await db.close();
  }
}

// Exits explicitly: once in a few runs something (not found yet) kept the event loop alive after
// the workers stopped and the database closed, and the next run never started.
main().then(
  () => process.exit(process.exitCode ?? 0),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
