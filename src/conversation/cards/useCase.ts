/** The use case card: where it stands, why it has its tier, what it still owes, who owns it. */
import type { Policy } from '../../domain/policy';
import { controlsDue } from '../../domain/obligations/controlsDue';
import type { Obligation } from '../../domain/obligations/types';
import type { UseCase } from '../../domain/types';
import {
  ADVANCE_ACTION_ID,
  OPEN_EVIDENCE_FORM_ACTION_ID,
  OPEN_INCIDENT_ACTION_ID,
  OPEN_UPDATE_FORM_ACTION_ID,
  RACI_ACTION_ID,
  RESUME_ACTION_ID,
  SUSPEND_ACTION_ID,
  WHO_APPROVES_ACTION_ID,
} from '../actions';
import { areaName, dataClassName, formatDay, nameOf, namesOf, relative, stageName, TIER_TONES, tierLabel } from './format';
import type { PeopleIndex } from './format';
import type { Button, Card, Section } from './model';

export interface UseCaseCardInput {
  useCase: UseCase;
  policy: Policy;
  people: PeopleIndex;
  now: Date;
  /** The EU AI Act obligations it owes (obligationsFor on `now`): listed with their dates, and controls not due yet are not demanded. */
  obligations?: readonly Obligation[];
  /** false where the caller lists them itself (show UC-n adds the readiness view), so none is listed twice. */
  listObligations?: boolean;
}

export function controlsSection(useCase: UseCase, policy: Policy, obligations?: readonly Obligation[]): Section {
  const notYet = new Map(controlsDue(useCase.requiredControls, obligations ?? []).filter((c) => !c.due).map((c) => [c.controlId, c]));
  const lines = useCase.requiredControls.map((id) => {
    const title = policy.controls.find((c) => c.id === id)?.title ?? id;
    const evidence = useCase.evidence.filter((e) => e.controlId === id);
    const last = evidence[evidence.length - 1];
    if (last) return `✓ ${id} ${title}: evidence ${last.url} (${formatDay(last.at)})`;
    const later = notYet.get(id);
    return later ? `○ ${id} ${title}: not due yet (${later.articles.join(', ')} ${later.articles.length > 1 ? 'apply' : 'applies'} from ${later.from})` : `✗ ${id} ${title}: no evidence yet`;
  });
  const done = useCase.requiredControls.filter((id) => useCase.evidence.some((e) => e.controlId === id)).length;
  const open = useCase.stage !== 'retired' && useCase.requiredControls.length > 0;
  return {
    title: `Required controls (${done}/${useCase.requiredControls.length} evidenced${notYet.size ? `; ${notYet.size} not due yet` : ''})`,
    text: lines.length ? lines.join('\n') : 'None required for this tier and data.',
    ...(open ? { buttons: [{ label: 'Attach evidence', actionId: OPEN_EVIDENCE_FORM_ACTION_ID, value: useCase.key }] } : {}),
  };
}

/** The obligations, grouped by when they apply: "applies now", then "applies from <date>". */
export function obligationsSection(obligations: readonly Obligation[]): Section {
  if (!obligations.length) return { title: 'EU AI Act obligations', text: 'None apply to this use case.' };
  const byDate = new Map<string, string[]>();
  for (const o of obligations) {
    const when = o.state === 'applies' ? 'Applies now' : `Applies from ${o.appliesFrom}`;
    byDate.set(when, [...(byDate.get(when) ?? []), o.article]);
  }
  const order = [...byDate.keys()].sort((a, b) => (a === 'Applies now' ? -1 : b === 'Applies now' ? 1 : a.localeCompare(b)));
  return { title: `EU AI Act obligations (${obligations.length})`, text: order.map((w) => `${w}: ${[...new Set(byDate.get(w))].join(', ')}`).join('\n') };
}

/** A lower tier waiting for AI Governance & Legal (decideTier): what, why, and the commands. */
export function pendingTierSection(useCase: UseCase): Section | undefined {
  const pending = useCase.legal?.pending;
  if (!pending) return undefined;
  const needsAssessment = pending.needs.includes('art6_4_assessment');
  return {
    title: `Pending tier change: ${tierLabel(pending.from)} → ${tierLabel(pending.tier)}`,
    badge: { label: 'waits for AI Governance & Legal', tone: 'warning' },
    text: [
      `Legal basis: ${pending.legalBasis.join(', ') || 'none'}.`,
      ...pending.reasons.map((r) => `• ${r}`),
      needsAssessment ? 'Needs the documented Art. 6(4) assessment with the sign-off.' : '',
      `AI Governance & Legal: tier ${useCase.key} confirm${needsAssessment ? ' <assessment link> <summary>' : ''} | tier ${useCase.key} reject <reason>`,
    ].filter(Boolean).join('\n'),
  };
}

export function raciSummary(useCase: UseCase, policy: Policy, people: PeopleIndex): Section {
  const lines = useCase.raci.map((a) => {
    const accountable = a.accountable.length === 1 ? nameOf(people, a.accountable[0]) : `⚠ ${a.accountable.length} accountable`;
    return `${areaName(policy, a.area)}: A ${accountable} · R ${namesOf(people, a.responsible)}`;
  });
  return { title: 'Who owns what', text: lines.length ? lines.join('\n') : 'No RACI assigned yet.' };
}

export function useCaseButtons(useCase: UseCase, policy: Policy): Button[] {
  const key = useCase.key;
  const buttons: Button[] = [];
  const gate = policy.lifecycle.gates.find((g) => g.from === useCase.stage);
  if (gate && useCase.tier !== 'prohibited') {
    buttons.push({ label: `Advance to ${stageName(policy, gate.to)}`, actionId: ADVANCE_ACTION_ID, value: key, style: 'primary' });
  }
  buttons.push({ label: 'Who approves', actionId: WHO_APPROVES_ACTION_ID, value: key });
  buttons.push({ label: 'RACI', actionId: RACI_ACTION_ID, value: key });
  buttons.push({ label: 'Report incident', actionId: OPEN_INCIDENT_ACTION_ID, value: key });
  if (useCase.stage !== 'retired') buttons.push({ label: 'Update answers', actionId: OPEN_UPDATE_FORM_ACTION_ID, value: key });
  if (useCase.stage !== 'suspended' && useCase.stage !== 'retired') {
    buttons.push({ label: 'Suspend', actionId: SUSPEND_ACTION_ID, value: key, style: 'danger' });
  }
  // Who may lift the kill switch is the domain's call (resumeUseCase); a refusal says who can.
  if (useCase.stage === 'suspended') buttons.push({ label: 'Resume', actionId: RESUME_ACTION_ID, value: key, style: 'primary' });
  return buttons;
}

export function useCaseCard({ useCase, policy, people, now, obligations, listObligations = true }: UseCaseCardInput): Card {
  const fields = [
    { label: 'Stage', value: `${stageName(policy, useCase.stage)} (since ${formatDay(useCase.stageEnteredAt)})` },
    { label: 'Risk tier', value: tierLabel(useCase.tier) },
    { label: 'Owner', value: nameOf(people, useCase.ownerId) },
    { label: 'Proposed by', value: nameOf(people, useCase.proposerId) },
    { label: 'Data', value: useCase.dataClasses.map((d) => dataClassName(policy, d)).join(', ') || 'none declared' },
    { label: 'Models', value: useCase.models.join(', ') || 'none yet' },
  ];
  if (useCase.nextReviewDue) fields.push({ label: 'Next review', value: `${formatDay(useCase.nextReviewDue)} (${relative(useCase.nextReviewDue, now)})` });
  if (useCase.stage === 'suspended' && useCase.suspendedFrom) fields.push({ label: 'Suspended from', value: stageName(policy, useCase.suspendedFrom) });
  return {
    title: `${useCase.key} · ${useCase.title}`,
    text: useCase.description,
    badge: { label: tierLabel(useCase.tier), tone: TIER_TONES[useCase.tier] },
    fields,
    sections: [
      { title: 'Why this tier', text: useCase.tierReasons.length ? useCase.tierReasons.map((r) => `• ${r}`).join('\n') : 'No risk signals in the intake answers.' },
      ...(pendingTierSection(useCase) ? [pendingTierSection(useCase)!] : []),
      controlsSection(useCase, policy, obligations),
      ...(obligations && listObligations ? [obligationsSection(obligations)] : []),
      raciSummary(useCase, policy, people),
    ],
    buttons: useCaseButtons(useCase, policy),
    context: `Updated ${formatDay(useCase.updatedAt)}`,
  };
}
