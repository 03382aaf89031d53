/**
 * Metrics read from the database when Prometheus scrapes, per server (one connection): outbox
 * depth, the age of the oldest undelivered message, dead letters, how overdue each scheduled
 * job is, and the connection pool's use. Reads are raw driver queries on the outbox and Agenda
 * collections (src/store/deliveries.repo.ts, src/scheduler/worker.ts), cached for a few seconds
 * and bounded in time so a scrape storm or a slow database cannot pile queries up.
 */
import type { Connection } from 'mongoose';
import { Gauge, Registry } from 'prom-client';

const CACHE_MS = 5000;
const QUERY_TIMEOUT_MS = 2000;

interface DbFigures {
  depth: number;
  oldestAgeSeconds: number;
  dead: number;
  lagByJob: Map<string, number>;
}

export interface ServerMetrics {
  registry: Registry;
  /** Detaches the pool listeners. */
  close(): void;
}

export function createServerMetrics(conn: Connection): ServerMetrics {
  const registry = new Registry();
  let cached: { at: number; figures: Promise<DbFigures | undefined> } | undefined;
  const figures = () => {
    if (!cached || Date.now() - cached.at > CACHE_MS) cached = { at: Date.now(), figures: readFigures(conn).catch(() => undefined) };
    return cached.figures;
  };

  new Gauge({
    name: 'steward_outbox_depth',
    help: 'Delivery attempts waiting in the outbox queue (due now or later)',
    registers: [registry],
    async collect() {
      const f = await figures();
      if (f) this.set(f.depth);
    },
  });
  new Gauge({
    name: 'steward_outbox_oldest_undelivered_seconds',
    help: 'Age of the oldest message still waiting to be delivered (0 when none waits)',
    registers: [registry],
    async collect() {
      const f = await figures();
      if (f) this.set(f.oldestAgeSeconds);
    },
  });
  new Gauge({
    name: 'steward_outbox_dead_letters',
    help: 'Deliveries given up after their last attempt (listable in the console, never dropped)',
    registers: [registry],
    async collect() {
      const f = await figures();
      if (f) this.set(f.dead);
    },
  });
  new Gauge({
    name: 'steward_scheduler_job_lag_seconds',
    help: 'How long each scheduled job has been due without a worker starting it (0 when on time)',
    labelNames: ['job'] as const,
    registers: [registry],
    async collect() {
      const f = await figures();
      if (!f) return;
      this.reset();
      for (const [job, lag] of f.lagByJob) this.set({ job }, lag);
    },
  });

  // The driver's pool events: connections checked out are the ones in use.
  const pool = { inUse: 0, open: 0 };
  const client = conn.getClient();
  const listeners: Array<[string, () => void]> = [
    ['connectionCheckedOut', () => pool.inUse++],
    ['connectionCheckedIn', () => (pool.inUse = Math.max(0, pool.inUse - 1))],
    ['connectionCreated', () => pool.open++],
    ['connectionClosed', () => (pool.open = Math.max(0, pool.open - 1))],
  ];
  for (const [event, fn] of listeners) client.on(event, fn);
  new Gauge({
    name: 'steward_db_pool_connections_in_use',
    help: 'Database connections checked out of the pool right now',
    registers: [registry],
    collect() {
      this.set(pool.inUse);
    },
  });
  new Gauge({
    name: 'steward_db_pool_connections_open',
    help: 'Database connections the pool holds open (in use or idle)',
    registers: [registry],
    collect() {
      this.set(pool.open);
    },
  });

  return {
    registry,
    close: () => {
      for (const [event, fn] of listeners) client.off(event, fn);
    },
  };
}

function within<T>(p: Promise<T>): Promise<T> {
  return Promise.race([p, new Promise<T>((_, reject) => setTimeout(() => reject(new Error('metrics query timed out')), QUERY_TIMEOUT_MS).unref())]);
}

async function readFigures(conn: Connection): Promise<DbFigures> {
  const db = conn.db;
  if (!db) throw new Error('not connected');
  const now = Date.now();
  const queue = db.collection<{ key: string; attempt: number; nextAttemptAt: Date }>('delivery_queue');
  const [depth, dead, firstAttempt, retries, jobs] = await within(
    Promise.all([
      queue.countDocuments({}),
      db.collection('delivery_outcomes').countDocuments({ outcome: 'dead' }),
      // A first attempt is queued when its message is stored: the earliest one is the oldest.
      queue.find({ attempt: 1 }, { projection: { nextAttemptAt: 1 } }).sort({ nextAttemptAt: 1 }).limit(1).toArray(),
      // Retried messages are older than their queue entry: their age comes from the message.
      queue.find({ attempt: { $gt: 1 } }, { projection: { key: 1 } }).limit(1000).toArray(),
      db
        .collection<{ name: string; nextRunAt?: Date | null; lockedAt?: Date | null; disabled?: boolean }>('agendaJobs')
        .find({ $or: [{ type: 'single' }, { nextRunAt: { $lte: new Date(now) } }] }, { projection: { name: 1, nextRunAt: 1, lockedAt: 1, disabled: 1 } })
        .toArray(),
    ]),
  );
  let oldest = firstAttempt[0]?.nextAttemptAt ? new Date(firstAttempt[0].nextAttemptAt).getTime() : now;
  if (retries.length) {
    const [m] = await within(
      db
        .collection<{ _id: string; createdAt: Date }>('deliveries')
        .find({ _id: { $in: retries.map((r) => r.key) } }, { projection: { createdAt: 1 } })
        .sort({ createdAt: 1 })
        .limit(1)
        .toArray(),
    );
    if (m) oldest = Math.min(oldest, new Date(m.createdAt).getTime());
  }
  const lagByJob = new Map<string, number>();
  for (const j of jobs) {
    if (j.disabled) continue;
    const due = j.nextRunAt ? new Date(j.nextRunAt).getTime() : undefined;
    // A locked job is running (or its worker died and the lock will expire): not waiting.
    const lag = due !== undefined && due <= now && !j.lockedAt ? (now - due) / 1000 : 0;
    lagByJob.set(j.name, Math.max(lagByJob.get(j.name) ?? 0, lag));
  }
  return { depth, oldestAgeSeconds: Math.max(0, (now - oldest) / 1000), dead, lagByJob };
}
