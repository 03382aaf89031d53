/**
 * What a job is: a name, a schedule, a payload schema and one domain call. The worker
 * (worker.ts) turns these into Agenda definitions; nothing else about Agenda leaks here.
 */
import type { z } from 'zod';
import type { RetentionPolicy } from '../domain/retention/policy';
import type { ScheduleContext } from '../domain/schedules/context';
import type { Dispatcher } from '../notifications/dispatcher';

export interface JobDeps {
  ctx: ScheduleContext;
  dispatcher: Dispatcher;
  /** The worker's logger, for failures a job survives (each is retried on its next run). */
  log?: JobLogger;
  /** How long operational data is kept (RETENTION_DAYS); the defaults when absent. */
  retention?: RetentionPolicy;
}

/** pino-compatible: (object, message). */
export interface JobLogger {
  info(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface JobDef<P extends z.ZodType = z.ZodType> {
  name: string;
  /** Agenda interval: a human interval ("15 minutes") or a cron expression ("0 9 * * 1", UTC). */
  every: string;
  /** The payload the job is stored with; parsed before every run. */
  payload: P;
  run(deps: JobDeps, payload: z.infer<P>): Promise<unknown>;
}

/** Keeps the payload type of each job tied to its run function. */
export const defineJob = <P extends z.ZodType>(def: JobDef<P>): JobDef<P> => def;
