/**
 * Reads everything a pack is built from, for one use case, from the live record: the use case
 * and its history, its models from the registry, their evaluation runs, its incidents, its
 * compliance record and the people named. `builtFrom` notes each stream's version read.
 */
import type { EvalRun } from '../evals/types';
import type { Obligation } from '../obligations/types';
import type { DomainContext, HistoryEntry } from '../ports';
import type { Incident, Person, RegisteredModel, UseCase } from '../types';
import { getUseCase } from '../usecases/getUseCase';
import type { EvidencePorts } from './ports';
import type { UseCaseCompliance } from './types';

export interface PackSource {
  useCase: UseCase;
  /** The use case's history (oldest first), states left out. */
  changes: Omit<HistoryEntry, 'state'>[];
  models: RegisteredModel[];
  /** Models the use case names that the registry does not hold. */
  missingModels: string[];
  evalRuns: EvalRun[];
  incidents: Incident[];
  compliance: UseCaseCompliance | null;
  people: Map<string, Person>;
  obligations: Obligation[] | null;
  builtFrom: Record<string, number>;
}

export async function collectSource(ctx: DomainContext, ports: EvidencePorts, key: string): Promise<PackSource> {
  const useCase = await getUseCase(ctx, { key });
  const history = await ctx.repos.audit.history(`usecase:${useCase.key}`);
  const models: RegisteredModel[] = [];
  const missingModels: string[] = [];
  for (const name of [...useCase.models].sort()) {
    const m = await ctx.repos.models.get(name);
    if (m) models.push(m);
    else missingModels.push(name);
  }
  const evalRuns = (await Promise.all(models.map((m) => ports.evalRuns.list(m.name)))).flat();
  evalRuns.sort((a, b) => a.finishedAt.getTime() - b.finishedAt.getTime() || a.runId.localeCompare(b.runId));
  const incidents = (await ctx.repos.incidents.list({ useCaseKey: useCase.key })).sort((a, b) => a.seq - b.seq);
  const compliance = await ports.compliance.get(useCase.key);
  const people = new Map((await ctx.repos.people.list()).map((p) => [p.id, p]));

  const builtFrom: Record<string, number> = { [`usecase:${useCase.key}`]: useCase.rev ?? history.length };
  for (const m of models) builtFrom[`model:${m.name}`] = m.rev ?? 0;
  for (const i of incidents) builtFrom[`incident:${i.key}`] = i.rev ?? 0;
  builtFrom[`compliance:${useCase.key}`] = compliance?.rev ?? 0;
  for (const m of models) builtFrom[`evalruns:${m.name}`] = evalRuns.filter((r) => r.modelName === m.name).length;

  return {
    useCase,
    changes: history.map(({ state: _s, ...e }) => e),
    models,
    missingModels,
    evalRuns,
    incidents,
    compliance,
    people,
    obligations: ports.obligationsFor ? ports.obligationsFor(useCase, ctx.clock.now()) : null,
    builtFrom,
  };
}
