/** What the handlers need besides the domain context, and small shared helpers. */
import { parseInput } from '../../domain/people/actor';
import type { EvidencePorts } from '../../domain/evidence/ports';
import type { DomainContext } from '../../domain/ports';
import type { Person, UseCase } from '../../domain/types';
import { getUseCase, getUseCaseInput } from '../../domain/usecases/getUseCase';
import { indexPeople, type PeopleIndex } from '../cards/format';
import type { Card } from '../cards/model';

export interface EvalRunRequest {
  actor: Person;
  modelName: string;
  suite: string;
}

export interface EvidenceService {
  ports: EvidencePorts;
  /** A signed link, valid for a limited time, to download a stored pack from the web process. */
  downloadUrl(packId: string, format: 'pdf' | 'md'): string;
}

export interface HandlerDeps {
  ctx: DomainContext;
  /**
   * Starts an evaluation run (src/evals via the scheduler). Returns the card to show at once;
   * the result arrives later as a notification. Absent: evaluations are not wired here.
   */
  startEvalRun?: (req: EvalRunRequest) => Promise<Card>;
  /** Evidence packs and records (src/evidence wires it). Absent: the evidence commands say they are not enabled. */
  evidence?: EvidenceService;
  /** Reports unexpected failures (the person only sees a short apology). */
  onUnexpectedError?: (err: unknown) => void;
}

/*
 * Repositories may offer short-lived shared reads for display (listForDisplay, getForDisplay in
 * ports.ts). They only feed cards that show things; every decision reads through a domain
 * operation, which reads the database.
 */

/** Names for the people a card mentions (nothing here decides anything). */
export async function peopleIndex(ctx: DomainContext): Promise<PeopleIndex> {
  const repo = ctx.repos.people;
  return indexPeople(await (repo.listForDisplay ? repo.listForDisplay() : repo.list()));
}

/**
 * A use case to show (`show`, `raci`): the same key check and errors as getUseCase, through the
 * repository's display read when it has one. A miss goes to getUseCase, which reads the
 * database and says "does not exist" as always.
 */
export async function useCaseForDisplay(ctx: DomainContext, key: string): Promise<UseCase> {
  const repo = ctx.repos.useCases;
  if (!repo.getForDisplay) return getUseCase(ctx, { key });
  const input = parseInput(getUseCaseInput, { key }, 'usecase.invalid_key');
  return (await repo.getForDisplay(input.key)) ?? getUseCase(ctx, input);
}
