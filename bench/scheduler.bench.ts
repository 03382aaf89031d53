/**
 * Scheduler benchmark (`npm run bench:scheduler`; not part of the test suite).
 * 10,000 reviews fall due at the same moment; two workers (real Agenda, real database) run the
 * review sweep and send the reminders through a recording channel. Reports the time until every
 * reminder was delivered and the number of duplicates (must be 0). Target: under 60 s.
 *
 * Database: bench/support/benchDatabase.ts (MONGODB_URI, or one started in a temporary folder).
 * BENCH_REMINDERS changes the count.
 */
import { buildContext } from '../src/app/context';
import type { Notifier, OutboundMessage } from '../src/domain/ports';
import { CompositeNotifier } from '../src/notifications/compositeNotifier';
import { loadPolicy } from '../src/playbooks';
import { reviewsSweepJob } from '../src/scheduler/jobs';
import { startWorker } from '../src/scheduler/worker';
import { openBenchDatabase } from './support/benchDatabase';
import { migrateToHistory } from '../src/store/migrate';
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
    const ucModel = (ctx.repos.useCases as MongoUseCaseRepository).model;
    const reviewModel = (ctx.repos.reviews as MongoReviewRepository).model;
    for (let i = 0; i < COUNT; i += 1000) {
      await ucModel.collection.insertMany(useCases.slice(i, i + 1000));
      await reviewModel.collection.insertMany(
        useCases.slice(i, i + 1000).map((u) => ({ _id: `${u.key}#1` as never, useCaseKey: u.key, cycle: 1, dueAt, tier: 'high', frameworks: [] })),
      );
    }
    // Bulk-inserted as a database from before histories would hold them; the start-up migration
    // gives each its version 1, as it would in production (setup, not timed).
    await migrateToHistory(conn, ctx.repos);
    console.log(`setup: ${COUNT} use cases with a review due ${dueAt.toISOString()}`);

    const channel = new CountingNotifier();
    const workers = [];
    const t0 = Date.now();
    for (const name of ['bench-a', 'bench-b']) {
      const router = new CompositeNotifier(ctx.repos.people).register('slack', channel);
      workers.push(
        await startWorker(ctx, {
          name,
          router,
          deliveries,
          jobs: [reviewsSweepJob],
          processEvery: 200,
          dispatchEveryMs: 200,
          routeEvents: false,
          logger: process.env.BENCH_VERBOSE ? { info: (o, m) => console.log(((Date.now() - t0) / 1000).toFixed(1), name, m, JSON.stringify(o)), error: (o, m) => console.log(name, m, o) } : undefined,
          dispatcher: { batchSize: Number(process.env.BENCH_BATCH ?? 2000), concurrency: 32 },
        }),
      );
    }
    const deadline = t0 + 300_000;
    while (channel.sends.size < COUNT && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    const elapsed = (Date.now() - t0) / 1000;
    await new Promise((r) => setTimeout(r, 2000)); // let any late duplicate show up
    for (const w of workers) await w.stop();
    const duplicates = channel.total - channel.sends.size;
    const figures = { reminders: COUNT, workers: 2, delivered: channel.sends.size, sends: channel.total, duplicates, seconds: elapsed, target: '< 60 s' };
    console.log(JSON.stringify(figures, null, 2));
    if (channel.sends.size < COUNT || duplicates > 0) process.exitCode = 1;
  } finally {
    await db.close();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
