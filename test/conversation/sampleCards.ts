/**
 * One instance of every card the product produces, built from factory data and the default
 * playbooks, for the renderer tests. Deliberately includes long and hostile text.
 */
import path from 'node:path';
import { friaFormCard } from '../../src/conversation/cards/forms/friaForm';
import { loadEvidenceTexts } from '../../src/evidence/texts';
import type { Policy } from '../../src/domain/policy';
import type { Person, UseCase } from '../../src/domain/types';
import {
  approvalCard,
  approvalListCard,
  art73ReportFormCard,
  auditVerifyCard,
  canUseCard,
  errorCard,
  evidenceFormCard,
  evalRunCard,
  helpCard,
  incidentCard,
  incidentFormCard,
  incidentListCard,
  indexPeople,
  intakeFormCard,
  kpisCard,
  modelCard,
  modelListCard,
  parseFailureCard,
  raciCard,
  rejectFormCard,
  reviewDoneFormCard,
  reviewListCard,
  updateFormCard,
  useCaseCard,
  useCaseListCard,
  whoApprovesCard,
} from '../../src/conversation/cards';
import type { Card } from '../../src/conversation/cards';
import { parseCommand } from '../../src/conversation/grammar';
import type { ParseFailure } from '../../src/conversation/grammar';
import { ANSWERS_FOR } from '../support/usecases';
import { daysFrom, FACTORY_NOW, makeApproval, makeEvalSummary, makeIncident, makeModel, makePerson, makeReview, makeUseCase } from '../support/factories';

export const NOW = FACTORY_NOW;

export function samplePeople(policy: Policy): Person[] {
  return [
    makePerson({ id: 'person-owner', name: 'Olu Owner', roles: ['llm_product_manager'] }),
    makePerson({ id: 'person-proposer', name: 'Pia Proposer', roles: ['domain_expert'] }),
    ...policy.roles.map((r) => makePerson({ id: `holder-${r.id}`, name: `${r.name} Holder`, roles: [r.id] })),
  ];
}

export function richUseCase(policy: Policy, overrides: Partial<UseCase> = {}): UseCase {
  const controls = policy.controls.map((c) => c.id);
  return makeUseCase({
    title: 'Support reply drafting',
    description: 'Drafts replies to customer emails. '.repeat(150), // ~5,000 characters: forces splitting
    stage: 'evaluation',
    tier: 'high',
    tierReasons: ['Annex III 4: employment', 'Personal data is processed'],
    dataClasses: ['internal', 'personal'],
    requiredControls: controls,
    evidence: controls.slice(0, 2).map((controlId) => ({ controlId, url: `https://wiki.example.com/${controlId}`, by: 'person-owner', at: NOW })),
    raci: policy.raci.map((a, i) => ({
      area: a.id,
      responsible: ['person-owner'],
      accountable: i === 0 ? [] : i === 1 ? ['person-owner', 'person-proposer'] : ['person-owner'],
      consulted: [`holder-${a.accountable}`],
      informed: [],
    })),
    models: ['gpt-4o-mini'],
    nextReviewDue: daysFrom(NOW, 20),
    ...overrides,
  });
}

export function allSampleCards(policy: Policy): Record<string, Card> {
  const people = samplePeople(policy);
  const index = indexPeople(people);
  const uc = richUseCase(policy);
  const useCases = Array.from({ length: 45 }, (_, i) => makeUseCase({ title: `Listed use case ${i + 1}` }));
  const pending = makeApproval({
    useCaseKey: uc.key,
    gateId: 'security_audit',
    fromStage: 'evaluation',
    toStage: 'security_audit',
    requiredRoles: ['ai_security_specialist', 'ai_governance_legal'],
    quorum: 2,
    votes: [{ approvalKey: 'APR-x', personId: 'holder-ai_security_specialist', decision: 'approve', role: 'ai_security_specialist', at: NOW }],
  });
  const decided = makeApproval({
    ...pending,
    key: 'APR-99',
    status: 'rejected',
    decidedAt: NOW,
    decidedBy: 'holder-ai_governance_legal',
    reasons: ['No red-team evidence'],
  });
  const model = makeModel({ name: 'gpt-4o-mini', displayName: 'GPT-4o mini', latestEval: makeEvalSummary({ hallucinationRate: 0.03 }) });
  const serious = makeIncident({
    severity: 'sev1',
    useCaseKey: uc.key,
    modelName: model.name,
    killSwitch: true,
    serious: { basis: 'general', awareAt: NOW, deadline: daysFrom(NOW, 15) },
    timeline: Array.from({ length: 14 }, (_, i) => ({ at: NOW, by: 'person-owner', kind: 'note' as const, text: `Note ${i + 1}` })),
  });
  const failure = parseCommand('reject APR-4') as ParseFailure;
  return {
    help: helpCard(),
    helpTopic: helpCard('incident'),
    error: errorCard('You cannot approve your own request.'),
    didYouMean: parseFailureCard(parseCommand('racy UC-3') as ParseFailure),
    rejectWithoutReason: parseFailureCard(failure, { approvalKey: 'APR-4' }),
    useCase: useCaseCard({ useCase: uc, policy, people: index, now: NOW }),
    useCaseList: useCaseListCard({ useCases, filter: { kind: 'tier', tier: 'high' }, page: 2, policy, people: index }),
    emptyList: useCaseListCard({ useCases: [], filter: { kind: 'mine' }, page: 1, policy, people: index }),
    raciAll: raciCard({ useCase: uc, policy, people: index }),
    raciOne: raciCard({ useCase: uc, policy, people: index, area: 'prompt_design' }),
    whoApproves: whoApprovesCard({ useCase: uc, policy, people }),
    approvalPending: approvalCard({ approval: pending, policy, people: index, now: NOW, useCase: uc }),
    approvalDecided: approvalCard({ approval: decided, policy, people: index, now: NOW, useCase: uc }),
    approvalList: approvalListCard({ approvals: Array.from({ length: 12 }, () => makeApproval()), page: 1, policy, people: index, now: NOW }),
    incident: incidentCard({ incident: serious, policy, people: index, now: NOW }),
    incidentList: incidentListCard({ incidents: [serious, makeIncident()], page: 1, people: index, now: NOW, openOnly: true }),
    models: modelListCard({ models: [model, makeModel({ status: 'banned' })], page: 1, policy }),
    model: modelCard({ model, policy, people: index }),
    canUseNo: canUseCard({ useCaseKey: uc.key, modelName: model.name, dataClass: 'special_category', check: { allowed: false, reason: 'GPT-4o mini is not approved for special category data.' }, policy }),
    reviews: reviewListCard({ reviews: [makeReview({ dueAt: daysFrom(NOW, -3), tier: 'high', frameworks: ['EU AI Act'] }), makeReview()], now: NOW, page: 1, overdueOnly: false }),
    kpis: kpisCard({ at: NOW, groups: [{ title: 'Approvals', metrics: [{ label: 'Pending', value: 4 }, { label: 'Median hours to decide', value: '18.5', tone: 'warning' }] }] }),
    auditOk: auditVerifyCard({ ok: true, entries: 120, streams: 34, checkpoint: { seq: 12, at: NOW }, checkedAt: NOW }),
    auditBroken: auditVerifyCard({ ok: false, entries: 120, streams: 34, broken: { where: 'usecase:UC-7 version 3', reason: 'the content does not match its signed hash (the entry was changed or forged)' }, checkedAt: NOW }),
    evalRun: evalRunCard({ modelName: model.name, summary: makeEvalSummary({ passed: false, passRate: 0.6 }), failures: Array.from({ length: 20 }, (_, i) => ({ id: `case-${i}`, note: 'wrong answer' })) }),
    intakeForm: intakeFormCard({ policy, models: [model] }),
    incidentForm: incidentFormCard({ policy, useCases: [uc], models: [model], useCaseKey: uc.key, today: '2026-03-14' }),
    art73Form: art73ReportFormCard({ incidentKey: serious.key, today: '2026-03-14', deadline: daysFrom(NOW, 2) }),
    friaForm: friaFormCard('UC-3', loadEvidenceTexts(path.join(__dirname, '../../playbooks'))),
    rejectForm: rejectFormCard('APR-7'),
    reviewDoneForm: reviewDoneFormCard('UC-3', { frameworks: ['EU AI Act Art. 9'] }),
    updateForm: updateFormCard({
      useCase: richUseCase(policy, { description: 'Drafts replies to customer emails & <escalations>.', answers: ANSWERS_FOR.high, models: ['gpt-4o-mini', 'old-model'] }),
      policy,
      models: [model],
    }),
    evidenceForm: evidenceFormCard({ useCase: uc, policy }),
    useCaseSuspended: useCaseCard({ useCase: richUseCase(policy, { stage: 'suspended', suspendedFrom: 'pilot' }), policy, people: index, now: NOW }),
    searchList: useCaseListCard({ useCases, filter: { kind: 'text', text: 'listed <use> & "case"' }, page: 2, policy, people: index }),
    emptySearch: useCaseListCard({ useCases: [], filter: { kind: 'text', text: 'nothing' }, page: 1, policy, people: index }),
  };
}
