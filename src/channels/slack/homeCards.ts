/**
 * The App Home as neutral cards: my use cases, approvals waiting for my vote, open incidents I
 * own, and the reviews due on my use cases. Read-only: opening the Home never writes.
 * Each list shows its first page; the page buttons work as they do anywhere else.
 */
import { approvalListCard } from '../../conversation/cards/approval';
import { indexPeople } from '../../conversation/cards/format';
import { incidentListCard } from '../../conversation/cards/incident';
import type { Card } from '../../conversation/cards/model';
import { reviewListCard } from '../../conversation/cards/reviews';
import { useCaseListCard } from '../../conversation/cards/useCaseList';
import { OPEN_INCIDENT_ACTION_ID, OPEN_INTAKE_ACTION_ID } from '../../conversation/actions';
import { listIncidents } from '../../domain/incidents/listIncidents';
import type { DomainContext } from '../../domain/ports';
import type { Person } from '../../domain/types';
import { listUseCases } from '../../domain/usecases/listUseCases';

/** Per list on the Home: Slack caps a Home view at 100 blocks. */
const HOME_PAGE_SIZE = 5;

export async function buildHomeCards(ctx: DomainContext, actor: Person): Promise<Card[]> {
  const now = ctx.clock.now();
  const [useCases, approvals, incidents, people] = await Promise.all([
    listUseCases(ctx, { actorId: actor.id, mine: true }),
    ctx.repos.approvals.list({ status: 'pending', approverId: actor.id }),
    listIncidents(ctx, { open: true, ownerId: actor.id }),
    ctx.repos.people.list(),
  ]);
  const mine = new Set(useCases.map((u) => u.key));
  const reviews = (await ctx.repos.reviews.list({ open: true })).filter((r) => mine.has(r.useCaseKey));
  const index = indexPeople(people);
  // Votes already cast by the actor no longer wait for them.
  const waiting = approvals.filter((a) => !a.votes.some((v) => v.personId === actor.id));

  const welcome: Card = {
    title: `Steward · ${actor.name}`,
    text: 'Your LLM use cases, the approvals waiting for you, your open incidents and the reviews due. Type `/steward help` anywhere for every command.',
    buttons: [
      { label: 'Propose a use case', actionId: OPEN_INTAKE_ACTION_ID, value: '', style: 'primary' },
      { label: 'Report an incident', actionId: OPEN_INCIDENT_ACTION_ID, value: '', style: 'danger' },
    ],
  };
  return [
    welcome,
    useCaseListCard({ useCases, filter: { kind: 'mine' }, page: 1, policy: ctx.policy, people: index, perPage: HOME_PAGE_SIZE }),
    approvalListCard({ approvals: waiting, page: 1, policy: ctx.policy, people: index, now, perPage: HOME_PAGE_SIZE }),
    incidentListCard({ incidents, page: 1, people: index, now, openOnly: true, perPage: HOME_PAGE_SIZE }),
    reviewListCard({ reviews, now, page: 1, overdueOnly: false, perPage: HOME_PAGE_SIZE }),
  ];
}
