import {
  ADVANCE_ACTION_ID,
  KILL_SWITCH_ACTION_ID,
  OPEN_INCIDENT_ACTION_ID,
  OPEN_REJECT_FORM_ACTION_ID,
  OPEN_REVIEW_DONE_ACTION_ID,
  SUSPEND_ACTION_ID,
} from '../../src/conversation/actions';
import {
  canUseCard,
  helpCard,
  incidentCard,
  indexPeople,
  listFilterFromString,
  listFilterToString,
  raciCard,
  reviewListCard,
  useCaseCard,
  whoApprovesCard,
} from '../../src/conversation/cards';
import type { Card } from '../../src/conversation/cards';
import { COMMAND_CATALOGUE } from '../../src/conversation/grammar';
import { loadPolicy } from '../../src/playbooks';
import { daysFrom, makeIncident, makeReview } from '../support/factories';
import { allSampleCards, NOW, richUseCase, samplePeople } from './sampleCards';

const policy = loadPolicy();
const people = samplePeople(policy);
const index = indexPeople(people);
const actionIds = (card: Card): string[] => [...(card.buttons ?? []), ...(card.sections ?? []).flatMap((s) => s.buttons ?? [])].map((b) => b.actionId);
const allText = (card: Card): string => JSON.stringify(card);

test('help lists every command usage', () => {
  const card = helpCard();
  for (const e of COMMAND_CATALOGUE) expect(card.fields!.map((f) => f.label)).toContain(e.usage);
  // The form, the one-liner and the seven lifecycle commands on an existing incident.
  expect(helpCard('incident').fields).toHaveLength(9);
});

test('use case card: tier reasons, evidence status per control, RACI summary and buttons', () => {
  const uc = richUseCase(policy);
  const card = useCaseCard({ useCase: uc, policy, people: index, now: NOW });
  expect(card.badge).toEqual({ label: 'High risk', tone: 'warning' });
  const controls = card.sections!.find((s) => s.title?.startsWith('Required controls'))!;
  expect(controls.title).toBe(`Required controls (2/${policy.controls.length} evidenced)`);
  expect(controls.text).toContain(`✓ ${policy.controls[0]!.id}`);
  expect(controls.text).toContain(`✗ ${policy.controls[2]!.id}`);
  expect(allText(card)).toContain('Annex III 4: employment');
  expect(allText(card)).toContain('Olu Owner');
  expect(actionIds(card)).toEqual(expect.arrayContaining([ADVANCE_ACTION_ID, OPEN_INCIDENT_ACTION_ID, SUSPEND_ACTION_ID]));
  const suspended = useCaseCard({ useCase: { ...uc, stage: 'suspended', suspendedFrom: 'pilot' }, policy, people: index, now: NOW });
  expect(actionIds(suspended)).not.toContain(SUSPEND_ACTION_ID);
  expect(actionIds(suspended)).not.toContain(ADVANCE_ACTION_ID);
});

test('RACI card warns where an area has no or several Accountable, and resolves names', () => {
  const uc = richUseCase(policy);
  const card = raciCard({ useCase: uc, policy, people: index });
  expect(card.sections).toHaveLength(policy.raci.length);
  expect(card.sections![0]!.text).toMatch(/No one is Accountable/);
  expect(card.sections![1]!.text).toMatch(/2 people are Accountable/);
  expect(card.sections![2]!.text).toBeUndefined();
  expect(card.badge?.label).toBe('2 to fix');
  expect(allText(card)).toContain('Pia Proposer');
  const one = raciCard({ useCase: uc, policy, people: index, area: policy.raci[3]!.id });
  expect(one.sections).toHaveLength(1);
  expect(one.subtitle).toBe(policy.raci[3]!.name);
});

test('who approves: gate, roles, quorum and the people holding them', () => {
  const uc = richUseCase(policy); // evaluation, high
  const gate = policy.lifecycle.gates.find((g) => g.from === 'evaluation')!;
  const rule = gate.approvers.high;
  const card = whoApprovesCard({ useCase: uc, policy, people });
  expect(card.subtitle).toContain(gate.name);
  expect(card.fields!.map((f) => f.label)).toEqual(rule.roles.map((r) => policy.roles.find((x) => x.id === r)!.name));
  card.fields!.forEach((f) => expect(f.value).toContain(`${f.label} Holder`));
  expect(allText(whoApprovesCard({ useCase: uc, policy, people: [] }))).toContain('no one holds this role');
  expect(card.text).toContain(String(rule.quorum ?? rule.roles.length));
  const noGate = whoApprovesCard({ useCase: { ...uc, stage: 'retired' }, policy, people });
  expect(noGate.text).toMatch(/No gate/);
});

test('incident: the Art. 73 countdown turns into "overdue", and the kill switch button only while it is off', () => {
  const deadline = daysFrom(NOW, 2);
  const incident = makeIncident({ useCaseKey: 'UC-1', serious: { basis: 'widespread_or_critical_infrastructure', awareAt: NOW, deadline } });
  const before = incidentCard({ incident, policy, people: index, now: NOW });
  expect(allText(before)).toContain('Report due in 2 d');
  expect(actionIds(before)).toContain(KILL_SWITCH_ACTION_ID);
  const after = incidentCard({ incident: { ...incident, killSwitch: true }, policy, people: index, now: daysFrom(NOW, 3) });
  expect(allText(after)).toContain('Overdue by 1 d');
  expect(actionIds(after)).not.toContain(KILL_SWITCH_ACTION_ID);
  const submitted = incidentCard({ incident: { ...incident, serious: { ...incident.serious!, reportSubmittedAt: NOW, reportRef: 'MSA-1' } }, policy, people: index, now: NOW });
  expect(allText(submitted)).toContain('ref MSA-1');
  expect(incidentCard({ incident: makeIncident(), policy, people: index, now: NOW }).sections!.some((s) => s.title === 'Serious incident report')).toBe(false);
});

test('can-use answers yes or no with the reason', () => {
  const yes = canUseCard({ useCaseKey: 'UC-1', modelName: 'm', dataClass: 'internal', check: { allowed: true, reason: 'internal is allowed' }, policy });
  expect(yes.title.startsWith('Yes')).toBe(true);
  expect(yes.badge!.tone).toBe('good');
  const no = canUseCard({ useCaseKey: 'UC-1', modelName: 'm', dataClass: 'special_category', check: { allowed: false, reason: 'not approved' }, policy });
  expect(no.title.startsWith('No')).toBe(true);
  expect(no.text).toBe('not approved');
});

test('reviews: overdue ones are flagged and offer the review-done form', () => {
  const card = reviewListCard({ reviews: [makeReview({ dueAt: daysFrom(NOW, 5) }), makeReview({ dueAt: daysFrom(NOW, -2) })], now: NOW, page: 1, overdueOnly: false });
  expect(card.badge).toEqual({ label: '1 overdue', tone: 'danger' });
  expect(card.sections![0]!.badge!.label).toBe('Overdue'); // sorted by due date
  expect(actionIds(card)).toContain(OPEN_REVIEW_DONE_ACTION_ID);
});

test('list filters survive the trip through a page button', () => {
  for (const f of [{ kind: 'all' }, { kind: 'mine' }, { kind: 'stage', stage: 'pilot' }, { kind: 'tier', tier: 'high' }] as const) {
    expect(listFilterFromString(listFilterToString(f))).toEqual(f);
  }
});

test('reject without a reason offers the reason form', () => {
  const card = allSampleCards(policy).rejectWithoutReason!;
  expect(card.buttons).toEqual([expect.objectContaining({ actionId: OPEN_REJECT_FORM_ACTION_ID, value: 'APR-4' })]);
  expect(card.fields![0]!.value).toBe('reject APR-n <reason>');
});
