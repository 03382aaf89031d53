/**
 * The queue between "someone asked for an evaluation" and the worker that runs it.
 *
 * Design: the queue IS Agenda's job collection. Whoever asks (the web process answering
 * `eval run`, or the scheduled sweep in a worker) inserts a one-off 'eval-run' job document with
 * an Agenda instance that is never started, so it processes nothing; a worker that defines the
 * job (src/scheduler/jobs/evalRun.job.ts) picks the document up on its next poll. This works
 * whether web and worker share a process or not: they only share the database.
 */
import { Agenda } from 'agenda';
import { MongoBackend } from '@agendajs/mongo-backend';
import type { Db } from 'mongodb';
import { z } from 'zod';
import { reportSwallowed } from '../../observability/swallowed';

export const EVAL_RUN_JOB = 'eval-run';
/** The collection the worker's Agenda uses (src/scheduler/worker.ts). */
export const AGENDA_COLLECTION = 'agendaJobs';

/** What one queued run carries. `runKey` makes it exactly-once however often it is retried. */
export const evalRunRequestSchema = z
  .object({
    modelName: z.string().min(1).max(100),
    suite: z.string().min(1).max(100),
    /** Person id of whoever started it, or 'system' for scheduled runs. */
    actorId: z.string().min(1).max(200),
    runKey: z.string().min(1).max(300),
    /** ISO time the request was first refused because the endpoint was busy (see executeEvalRun). */
    waitingSince: z.string().datetime().optional(),
  })
  .strict();
export type EvalRunRequest = z.infer<typeof evalRunRequestSchema>;

export interface EvalQueue {
  /** Queues a run now, or after `delayMs` of wall-clock time (Agenda compares real time). */
  enqueue(request: EvalRunRequest, opts?: { delayMs?: number }): Promise<void>;
}

/** An Agenda that only writes jobs (never started: it runs nothing in this process). */
export function agendaEvalQueue(db: Db, opts: { collection?: string } = {}): EvalQueue {
  const agenda = new Agenda({ backend: new MongoBackend({ mongo: db, collection: opts.collection ?? AGENDA_COLLECTION }) });
  // An EventEmitter 'error' without a listener would kill the process; enqueue reports its own
  // errors, anything else Agenda raises is logged and counted.
  agenda.on('error', (err: unknown) => reportSwallowed('eval_queue', err));
  return {
    async enqueue(request, o = {}) {
      const data = evalRunRequestSchema.parse(request);
      if (o.delayMs && o.delayMs > 0) await agenda.schedule(new Date(Date.now() + o.delayMs), EVAL_RUN_JOB, data);
      else await agenda.now(EVAL_RUN_JOB, data);
    },
  };
}
