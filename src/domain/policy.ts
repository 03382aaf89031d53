/**
 * The operating model an organisation adopts, as typed data. Produced by src/playbooks from
 * the YAML files in playbooks/ (validated there with zod); the domain only reads it.
 */
import type { DataClass, RiskTier, RoleId, Severity, Stage, SeriousBasis } from './types';

export interface RoleDef {
  id: RoleId; // e.g. llm_product_manager
  name: string;
  description: string;
}

export interface RaciAreaDef {
  id: string; // e.g. model_selection
  name: string;
  responsible: RoleId[];
  accountable: RoleId; // exactly one, enforced by the loader
  consulted: RoleId[];
  informed: RoleId[];
}

export interface StageDef {
  id: Stage;
  name: string;
  description: string;
  /** Days in this stage after which the use case counts as stalled (absent: never). */
  stalledAfterDays?: number;
}

export interface ApproverRule {
  roles: RoleId[];
  /** N of M: approving votes needed. Absent: every listed role must approve. */
  quorum?: number;
  /**
   * Roles that must be among the approvers whatever the quorum: each needs its own approving
   * person (one person holding two of them covers one). A subset of `roles`, no more than the quorum.
   */
  mustInclude?: RoleId[];
}

export interface GateDef {
  id: string; // named for the stage it leads to, e.g. 'security_audit'
  from: Stage;
  to: Stage;
  name: string;
  exitCriteria: string[];
  approvers: Record<RiskTier, ApproverRule>;
  expiresAfterDays: number;
  /** Approving this gate needs a passing evaluation run no older than this. */
  requiresPassingEvalWithinDays?: number;
}

export interface LifecyclePolicy {
  stages: StageDef[];
  gates: GateDef[];
}

export type RiskSignal =
  | 'prohibited' // any positive answer makes the use case prohibited (Art. 5)
  | 'high' // any positive answer makes it high-risk (Annex III area / Art. 6(1))
  | 'high_annex_iii' // Annex III areas: high unless the Art. 6(3) exemption applies
  | 'exemption' // Art. 6(3): narrow procedural / preparatory task etc.
  | 'profiling' // profiling of natural persons: the Art. 6(3) exemption is never available
  | 'transparency' // Art. 50 duties
  | 'data_classes' // answers are data classes
  | 'context'; // informational only

export interface RiskOption {
  id: string;
  label: string;
  /** Legal reference, e.g. "Art. 5(1)(a)" or "Annex III 4". */
  ref?: string;
}

export interface RiskQuestion {
  id: string;
  text: string;
  help?: string;
  kind: 'boolean' | 'single_select' | 'multi_select' | 'text';
  options?: RiskOption[];
  signal: RiskSignal;
  ref?: string;
  required: boolean;
}

export interface DataClassDef {
  id: DataClass;
  name: string;
  description: string;
  /** Higher is more sensitive. */
  rank: number;
}

export interface RiskPolicy {
  questions: RiskQuestion[];
  dataClasses: DataClassDef[];
}

export interface ControlDef {
  id: string; // e.g. CTL-PROMPT-INJECTION
  title: string;
  description: string;
  frameworks: {
    nistAiRmf: string[]; // "MEASURE 2.5"
    euAiAct: string[]; // "Art. 9"
    owaspLlm: string[]; // "LLM01:2025"
    iso42001: string[]; // "A.6.2.6"
  };
  requiredFor: { tiers: RiskTier[]; dataClasses: DataClass[] };
  evidence: string;
}

export interface CadenceDef {
  tier: Exclude<RiskTier, 'prohibited'>;
  everyDays: number;
  /** Remind the Responsible this many days before the due date (and on it, and after it). */
  remindBeforeDays: number[];
  escalateToAccountableAfterDays: number;
  escalateToCoeAfterDays: number;
  frameworks: string[];
}

export interface SeverityDef {
  id: Severity;
  name: string;
  definition: string;
  acknowledgeWithinMinutes: number;
  resolveWithinHours: number;
}

export interface IncidentCategoryDef {
  id: string; // e.g. prompt_injection
  name: string;
  owaspLlm: string[];
  runbook: string[];
}

export interface IncidentPolicy {
  severities: SeverityDef[];
  categories: IncidentCategoryDef[];
  serious: {
    questions: { id: string; text: string; basis: SeriousBasis }[];
    /** Art. 73 deadlines in days from awareness, by basis. */
    deadlinesDays: Record<SeriousBasis, number>;
    /** Remind at these fractions of the deadline (and at the deadline). */
    reminderFractions: number[];
  };
}

/** One EU AI Act application date; regulators may move it, so both versions are kept. */
export interface ApplicationDateDef {
  id: string; // e.g. annex_iii_high_risk
  what: string;
  ref?: string; // e.g. "Art. 6"
  /** ISO date (YYYY-MM-DD) under the Regulation as published; absent: not in the original text. */
  original?: string;
  /** ISO date under the amendment; absent: the amendment leaves the original date. */
  amended?: string;
}

export interface RegulationPolicy {
  /** Which set of dates applies: the original Art. 113 dates or the amended ones. */
  datesInForce: 'original' | 'amended';
  amendment?: { name: string; instrument: string; status: string };
  applicationDates: ApplicationDateDef[];
}

export interface Policy {
  roles: RoleDef[];
  raci: RaciAreaDef[];
  lifecycle: LifecyclePolicy;
  risk: RiskPolicy;
  controls: ControlDef[];
  cadences: CadenceDef[];
  incidents: IncidentPolicy;
  /** EU AI Act application dates (playbooks/regulation.yaml). Optional: older policies lack it. */
  regulation?: RegulationPolicy;
}
