/** incident (form and one-liner), incidents [open], kill switch. */
import { getIncident } from '../../../domain/incidents/getIncident';
import { pullKillSwitch } from '../../../domain/incidents/pullKillSwitch';
import { listIncidents } from '../../../domain/incidents/listIncidents';
import { reportIncident } from '../../../domain/incidents/reportIncident';
import { classifyRisk } from '../../../domain/usecases/classifyRisk';
import type { Incident, Person, Severity } from '../../../domain/types';
import { isoDayOf } from '../../cards/forms/days';
import { incidentFormCard } from '../../cards/forms/incidentForm';
import { incidentCard, incidentListCard } from '../../cards/incident';
import { peopleIndex, type HandlerDeps } from '../deps';
import type { Reply } from '../types';

/** The incident card; with `viewer`, only the lifecycle buttons that person may use. */
export async function incidentReply({ ctx }: HandlerDeps, incident: Incident, viewer?: Person): Promise<Reply> {
  const deployer = incident.serious && incident.useCaseKey ? await deploysUseCase(ctx, incident.useCaseKey) : false;
  return { cards: [incidentCard({ incident, policy: ctx.policy, people: await peopleIndex(ctx), now: ctx.clock.now(), deployer, ...(viewer ? { viewer } : {}) })] };
}

/** Whether the organisation is a deployer of the use case (its intake answers, Art. 25 included). */
async function deploysUseCase(ctx: HandlerDeps['ctx'], key: string): Promise<boolean> {
  const useCase = await ctx.repos.useCases.get(key);
  return !!useCase && classifyRisk(useCase.answers, ctx.policy.risk, ctx.policy.regulation).parties.includes('deployer');
}

export async function incidentForm({ ctx }: HandlerDeps, useCaseKey?: string): Promise<Reply> {
  const [useCases, models] = await Promise.all([ctx.repos.useCases.list(), ctx.repos.models.list()]);
  const active = useCases.filter((u) => u.stage !== 'retired').sort((a, b) => a.seq - b.seq);
  return { cards: [], form: incidentFormCard({ policy: ctx.policy, useCases: active, models, today: isoDayOf(ctx.clock.now()), ...(useCaseKey ? { useCaseKey } : {}) }) };
}

/** `incident UC-3 sev2 the bot quoted another customer's address`: category is triaged later. */
export async function quickIncident(
  deps: HandlerDeps,
  actor: Person,
  input: { useCaseKey: string; severity: Severity; description: string },
): Promise<Reply> {
  // No title: reportIncident derives it from the description after redacting it whole.
  const incident = await reportIncident(deps.ctx, {
    reporterId: actor.id,
    useCaseKey: input.useCaseKey,
    category: 'other',
    severity: input.severity,
    description: input.description,
  });
  return incidentReply(deps, incident, actor);
}

export async function listIncidentsReply({ ctx }: HandlerDeps, openOnly: boolean, page = 1): Promise<Reply> {
  const incidents = await listIncidents(ctx, openOnly ? { open: true } : {});
  const sorted = [...incidents].sort((a, b) => b.seq - a.seq);
  return { cards: [incidentListCard({ incidents: sorted, page, people: await peopleIndex(ctx), now: ctx.clock.now(), openOnly })] };
}

export async function showIncident(deps: HandlerDeps, key: string, viewer?: Person): Promise<Reply> {
  return incidentReply(deps, await getIncident(deps.ctx, { key }), viewer);
}

/** The kill switch on an incident card: suspends the use case and marks the incident. */
export async function killSwitch(deps: HandlerDeps, actor: Person, incidentKey: string): Promise<Reply> {
  return incidentReply(deps, await pullKillSwitch(deps.ctx, { actorId: actor.id, key: incidentKey }), actor);
}
