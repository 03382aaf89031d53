/**
 * The entities of the operating model. Plain data: no methods, no persistence concerns.
 * Keys people type (UC-1, APR-3, INC-7) are the identifiers used everywhere outside the store.
 */

export const LIFECYCLE_STAGES = [
  'ideation',
  'prototype',
  'evaluation',
  'security_audit',
  'pilot',
  'production',
  'continuous_improvement',
] as const;
export const ALL_STAGES = [...LIFECYCLE_STAGES, 'suspended', 'retired'] as const;
export type LifecycleStage = (typeof LIFECYCLE_STAGES)[number];
export type Stage = (typeof ALL_STAGES)[number];

export const RISK_TIERS = ['prohibited', 'high', 'transparency', 'minimal'] as const;
export type RiskTier = (typeof RISK_TIERS)[number];

export const DATA_CLASSES = ['public', 'internal', 'confidential', 'personal', 'special_category'] as const;
export type DataClass = (typeof DATA_CLASSES)[number];

export type RoleId = string;
export type RaciAreaId = string;

export interface Person {
  /** The record's version in its history (1 = created); absent before it is first stored. */
  rev?: number;
  id: string;
  name: string;
  email?: string;
  slackUserId?: string;
  teamsAadObjectId?: string;
  roles: RoleId[];
  createdAt: Date;
  /** Set by `person erase` (GDPR Art. 17): the name is a pseudonym and nothing personal is kept. */
  erasedAt?: Date;
}

/** Named people (person ids) for one responsibility area of one use case. */
export interface RaciAssignment {
  area: RaciAreaId;
  responsible: string[];
  accountable: string[];
  consulted: string[];
  informed: string[];
}

export interface StageChange {
  from: Stage | null;
  to: Stage;
  at: Date;
  by: string;
  approvalKey?: string;
  reason?: string;
}

export interface ControlEvidence {
  controlId: string;
  url: string;
  note?: string;
  by: string;
  at: Date;
}

export interface UseCase {
  /** The record's version in its history (1 = created); absent before it is first stored. */
  rev?: number;
  key: string; // UC-n
  seq: number;
  title: string;
  description: string;
  proposerId: string;
  ownerId: string; // the LLM product manager who owns it
  stage: Stage;
  stageEnteredAt: Date;
  stageHistory: StageChange[];
  /** Where a suspended use case returns to on resume. */
  suspendedFrom?: Stage;
  tier: RiskTier;
  tierReasons: string[];
  dataClasses: DataClass[];
  answers: Record<string, unknown>;
  requiredControls: string[];
  evidence: ControlEvidence[];
  raci: RaciAssignment[];
  /** Registry model names this use case calls. */
  models: string[];
  lastReviewAt?: Date;
  nextReviewDue?: Date;
  /** The EU AI Act tier decision and what waits on AI Governance & Legal (issue 13). */
  legal?: UseCaseLegal;
  createdAt: Date;
  updatedAt: Date;
}

/** One tier decision: what it rests on, and the questionnaire (risk.yaml hash) it was made with. */
export interface TierDecision {
  tier: RiskTier;
  legalBasis: string[];
  reasons: string[];
  /** Art. 50 paragraphs that apply, and who owes each (also recorded for high-risk). */
  art50: { ref: string; party: 'provider' | 'deployer' }[];
  riskVersion?: string;
  at: Date;
  by: string;
}

export interface UseCaseLegal {
  decision: TierDecision;
  /**
   * A lower tier that does not hold yet: re-answering never lowers a tier silently, and an
   * Art. 6(3) derogation also needs the documented Art. 6(4) assessment.
   */
  pending?: TierDecision & { needs: ('legal_signoff' | 'art6_4_assessment')[]; from: RiskTier };
  /** The provider's documented Art. 6(4) assessment (stored, shown, reviewable). */
  art6Assessment?: { url: string; summary: string; by: string; at: Date };
}

export const APPROVAL_STATUSES = ['pending', 'approved', 'rejected', 'expired', 'cancelled'] as const;
export type ApprovalStatus = (typeof APPROVAL_STATUSES)[number];

export interface Vote {
  approvalKey: string;
  personId: string;
  decision: 'approve' | 'reject';
  /** The required role this vote counts for (approvals only). */
  role?: RoleId;
  reason?: string;
  at: Date;
}

export interface Approval {
  /** The record's version in its history (1 = created); absent before it is first stored. */
  rev?: number;
  key: string; // APR-n
  seq: number;
  useCaseKey: string;
  gateId: string;
  fromStage: Stage;
  toStage: Stage;
  requesterId: string;
  requiredRoles: RoleId[];
  /** Approving votes needed; equals requiredRoles.length when every role must approve. */
  quorum: number;
  /** Roles that must each approve whatever the quorum (fixed when the request is made). */
  mustInclude?: RoleId[];
  /** Person ids who may vote (hold a required role and are not the requester). */
  approverIds: string[];
  votes: Vote[];
  status: ApprovalStatus;
  reasons: string[];
  decidedAt?: Date;
  decidedBy?: string;
  expiresAt: Date;
  createdAt: Date;
}

export const MODEL_STATUSES = ['proposed', 'approved', 'restricted', 'deprecated', 'banned'] as const;
export type ModelStatus = (typeof MODEL_STATUSES)[number];

export interface EvalSummary {
  runId: string;
  suite: string;
  at: Date;
  passed: boolean;
  passRate: number;
  hallucinationRate?: number;
  injectionResistance?: number;
  latencyP50Ms: number;
  latencyP95Ms: number;
  tokensIn: number;
  tokensOut: number;
  cost: number;
}

export interface RegisteredModel {
  /** The record's version in its history (1 = created); absent before it is first stored. */
  rev?: number;
  name: string; // unique, lower-case handle people type
  displayName: string;
  provider: string;
  version: string;
  hosting: 'hosted_api' | 'self_hosted';
  baseUrl?: string;
  modelName: string;
  /** Name of the environment variable holding the API key; the key itself is never stored. */
  apiKeyEnv?: string;
  allowedDataClasses: DataClass[];
  pricePer1kInput: number;
  pricePer1kOutput: number;
  status: ModelStatus;
  statusReason?: string;
  ownerId: string;
  latestEval?: EvalSummary;
  /** Set when it is a general-purpose AI model (EU AI Act Chapter V). */
  gpai?: GpaiInfo;
  createdAt: Date;
  updatedAt: Date;
}

/** What the registry records about a general-purpose AI model (Arts. 51-53). */
export interface GpaiInfo {
  /** The GPAI model's provider in the sense of the Act (who placed the model on the market). */
  provider: string;
  /** Classified as a GPAI model with systemic risk (Art. 51; presumed above 10^25 FLOPs, Art. 51(2)). */
  systemicRisk: boolean;
  /** Where the provider's Art. 53(1)(b) / Annex XII information for downstream providers is. */
  art53DocsUrl?: string;
}

export const SEVERITIES = ['sev1', 'sev2', 'sev3', 'sev4'] as const;
export type Severity = (typeof SEVERITIES)[number];
export const INCIDENT_STATUSES = ['reported', 'triaged', 'mitigating', 'resolved', 'closed'] as const;
export type IncidentStatus = (typeof INCIDENT_STATUSES)[number];
export type SeriousBasis = 'general' | 'widespread_or_critical_infrastructure' | 'death';

export interface TimelineEntry {
  at: Date;
  by: string;
  kind: 'reported' | 'status' | 'note' | 'kill_switch' | 'serious' | 'report_submitted' | 'provider_informed' | 'owner';
  text: string;
}

/** How an incident's awareness moment was set (see Incident.serious.awareSource). */
export type AwareSource = 'stated' | 'first_report' | 'corrected';

export interface Incident {
  /** The record's version in its history (1 = created); absent before it is first stored. */
  rev?: number;
  key: string; // INC-n
  seq: number;
  useCaseKey?: string;
  modelName?: string;
  category: string;
  severity: Severity;
  title: string;
  description: string; // redacted before storage
  redactions: string[]; // kinds redacted, e.g. ['email', 'api_key']
  reporterId: string;
  ownerId: string;
  status: IncidentStatus;
  timeline: TimelineEntry[];
  serious?: {
    basis: SeriousBasis;
    /** When the organisation became aware (Art. 73(2)); never moved later except by a correction. */
    awareAt: Date;
    /** Where awareAt came from: stated by whoever flagged, the incident's first report (no date given), or corrected by AI Governance & Legal. Absent on records written before it existed. */
    awareSource?: AwareSource;
    deadline: Date;
    /** Art. 73(5): an initial, possibly incomplete report; it meets the deadline, reminders continue. */
    initialReportAt?: Date;
    initialReportRef?: string;
    /** The complete report (or the only one): stops the reminders. */
    reportSubmittedAt?: Date;
    reportRef?: string;
    /** Art. 26(5): as deployer, the provider was informed first, at this moment. */
    providerInformedAt?: Date;
    providerInformedNote?: string;
  };
  killSwitch: boolean;
  createdAt: Date;
  updatedAt: Date;
}

/**
 * One entry of the trail: one version of one record's history (stream `usecase:UC-3`, …) or
 * a standalone log line (stream `log:<subject>`). Hash-chained per stream, keyed by the
 * audit signing key (see src/domain/audit/hash.ts).
 */
export interface AuditEntry {
  stream: string;
  /** 1, 2, … within the stream: unique with it, which is what decides concurrent writers. */
  version: number;
  at: Date;
  actorId: string;
  action: string; // e.g. 'approval.voted'
  subject: string; // e.g. 'APR-3'
  data: Record<string, unknown>;
  /** What caused this change when it is a reaction to another record's change (`approval:APR-3`). */
  cause?: string;
  prevHash: string;
  hash: string;
}

export interface Review {
  /** The record's version in its history (1 = created); absent before it is first stored. */
  rev?: number;
  useCaseKey: string;
  /** Sequence of the review for this use case (1, 2, ...): with useCaseKey, unique. */
  cycle: number;
  dueAt: Date;
  tier: RiskTier;
  frameworks: string[];
  completedAt?: Date;
  completedBy?: string;
  attestation?: string;
  evidenceUrl?: string;
  /**
   * Set when the review will not be done because the use case is no longer reviewed (retired,
   * or re-classified prohibited): a closed review, kept with its history, never open again.
   */
  cancelledAt?: Date;
  cancelledBy?: string;
  cancelReason?: string;
}
