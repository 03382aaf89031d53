/** What the handlers need besides the domain context, and small shared helpers. */
import type { DomainContext } from '../../domain/ports';
import type { Person } from '../../domain/types';
import { indexPeople, type PeopleIndex } from '../cards/format';
import type { Card } from '../cards/model';

export interface EvalRunRequest {
  actor: Person;
  modelName: string;
  suite: string;
}

export interface HandlerDeps {
  ctx: DomainContext;
  /**
   * Starts an evaluation run (src/evals via the scheduler). Returns the card to show at once;
   * the result arrives later as a notification. Absent: evaluations are not wired here.
   */
  startEvalRun?: (req: EvalRunRequest) => Promise<Card>;
  /** Reports unexpected failures (the person only sees a short apology). */
  onUnexpectedError?: (err: unknown) => void;
}

export async function peopleIndex(ctx: DomainContext): Promise<PeopleIndex> {
  return indexPeople(await ctx.repos.people.list());
}
