/** What the crash test's parent hands its child process (support/crashChild.ts), as JSON in CRASH_PLAN. */
import type { Stage } from '../../../src/domain/types';

/** Use cases are voted through their gates up to this stage (the next gate needs evaluations). */
export const FINAL_STAGE: Stage = 'evaluation';

export interface CrashPlan {
  uri: string;
  dbName: string;
  round: number;
  /** Use cases to vote through their gates (proposed by the parent). */
  useCases: string[];
  /** Everyone who may vote, with their roles; each approval gets a vote from every eligible one at once. */
  voters: Array<{ id: string; roles: string[] }>;
  /** People who report incidents. */
  reporters: string[];
  /** Use cases voted on at the same time. */
  concurrency: number;
  /** Incidents reported at the same time, and in all per run. */
  incidentLanes: number;
  incidentsPerRun: number;
  /** Share of incidents that pull the kill switch, and of votes that reject. */
  killSwitchRate: number;
  rejectRate: number;
  /** The background reaction sweep: how often, and how old an entry must be. */
  sweepEveryMs: number;
  sweepGraceMs: number;
}
