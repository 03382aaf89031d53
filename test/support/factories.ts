/**
 * Plain builders for domain objects, for tests that need data without running the domain
 * (card builders, renderers, store round-trips). Each builder returns a complete, valid object;
 * pass overrides for what the test is about. Keys and ids are unique per process.
 */
import type { Approval, EvalSummary, Incident, Person, RegisteredModel, Review, UseCase } from '../../src/domain/types';

let seq = 0;
const next = (): number => ++seq;

/** A fixed instant so cards that show dates are reproducible; tests pass their own `now`. */
export const FACTORY_NOW = new Date('2026-03-02T09:00:00.000Z');
export const daysFrom = (date: Date, days: number): Date => new Date(date.getTime() + days * 86_400_000);

export function makePerson(overrides: Partial<Person> = {}): Person {
  const n = next();
  return {
    id: `person-${n}`,
    name: `Person ${n}`,
    email: `person${n}@example.com`,
    slackUserId: `U${String(n).padStart(8, '0')}`,
    roles: [],
    createdAt: FACTORY_NOW,
    ...overrides,
  };
}

export function makeUseCase(overrides: Partial<UseCase> = {}): UseCase {
  const n = overrides.seq ?? next();
  return {
    key: `UC-${n}`,
    seq: n,
    title: `Use case ${n}`,
    description: `Drafts replies for use case ${n}.`,
    proposerId: 'person-proposer',
    ownerId: 'person-owner',
    stage: 'ideation',
    stageEnteredAt: FACTORY_NOW,
    stageHistory: [{ from: null, to: 'ideation', at: FACTORY_NOW, by: 'person-proposer' }],
    tier: 'minimal',
    tierReasons: [],
    dataClasses: ['internal'],
    answers: {},
    requiredControls: [],
    evidence: [],
    raci: [],
    models: [],
    createdAt: FACTORY_NOW,
    updatedAt: FACTORY_NOW,
    ...overrides,
  };
}

export function makeApproval(overrides: Partial<Approval> = {}): Approval {
  const n = overrides.seq ?? next();
  return {
    key: `APR-${n}`,
    seq: n,
    useCaseKey: 'UC-1',
    gateId: 'prototype',
    fromStage: 'ideation',
    toStage: 'prototype',
    requesterId: 'person-owner',
    requiredRoles: ['llm_product_manager'],
    quorum: 1,
    approverIds: ['person-approver'],
    votes: [],
    status: 'pending',
    reasons: [],
    expiresAt: daysFrom(FACTORY_NOW, 7),
    createdAt: FACTORY_NOW,
    ...overrides,
  };
}

export function makeIncident(overrides: Partial<Incident> = {}): Incident {
  const n = overrides.seq ?? next();
  return {
    key: `INC-${n}`,
    seq: n,
    category: 'prompt_injection',
    severity: 'sev3',
    title: `Incident ${n}`,
    description: `Something went wrong (${n}).`,
    redactions: [],
    reporterId: 'person-reporter',
    ownerId: 'person-owner',
    status: 'reported',
    timeline: [{ at: FACTORY_NOW, by: 'person-reporter', kind: 'reported', text: 'Reported' }],
    killSwitch: false,
    createdAt: FACTORY_NOW,
    updatedAt: FACTORY_NOW,
    ...overrides,
  };
}

export function makeEvalSummary(overrides: Partial<EvalSummary> = {}): EvalSummary {
  return {
    runId: `run-${next()}`,
    suite: 'smoke',
    at: FACTORY_NOW,
    passed: true,
    passRate: 0.95,
    latencyP50Ms: 420,
    latencyP95Ms: 1300,
    tokensIn: 12000,
    tokensOut: 3400,
    cost: 0.042,
    ...overrides,
  };
}

export function makeModel(overrides: Partial<RegisteredModel> = {}): RegisteredModel {
  const n = next();
  return {
    name: `model-${n}`,
    displayName: `Model ${n}`,
    provider: 'example',
    version: '1',
    hosting: 'hosted_api',
    modelName: `model-${n}`,
    allowedDataClasses: ['public', 'internal'],
    pricePer1kInput: 0.0005,
    pricePer1kOutput: 0.0015,
    status: 'approved',
    ownerId: 'person-owner',
    createdAt: FACTORY_NOW,
    updatedAt: FACTORY_NOW,
    ...overrides,
  };
}
/** RegisteredModel is the domain name; `makeRegisteredModel` reads better in some tests. */
export const makeRegisteredModel = makeModel;

export function makeReview(overrides: Partial<Review> = {}): Review {
  return {
    useCaseKey: `UC-${next()}`,
    cycle: 1,
    dueAt: daysFrom(FACTORY_NOW, 30),
    tier: 'minimal',
    frameworks: [],
    ...overrides,
  };
}
