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
  | 'high' // yes: high-risk via Art. 6(1) (Annex I product or safety component)
  | 'annex_i_act' // which Annex I act covers the product
  | 'high_annex_iii' // Annex III points: high unless the Art. 6(3) derogation applies
  | 'exemption' // one Art. 6(3) condition (a)-(d)
  | 'material_influence' // yes: materially influences decisions, no Art. 6(3) derogation
  | 'profiling' // profiling of natural persons: the Art. 6(3) derogation is never available
  | 'transparency' // an Art. 50 duty (ref) owed by `party`
  | 'transparency_exemption' // yes: the duty of question `exempts` does not apply
  | 'role' // provider / deployer / both
  | 'role_shift' // Art. 25 situations that make a deployer a provider
  | 'deployer_type' // Art. 27(1) deployer types
  | 'placed_on_market' // date the system was placed on the market
  | 'gpai_info' // the GPAI provider's downstream information (Art. 53(1)(b))
  | 'data_classes' // answers are data classes
  | 'context'; // informational only

export interface RiskOption {
  id: string;
  label: string;
  /** Legal reference, e.g. "Art. 5(1)(a)" or "Annex III 4(a)". */
  ref?: string;
  /** applicationDates id: the option counts only under date sets that have this row. */
  appliesFrom?: string;
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
  /** Asked, and required, only when the named question's answer includes one of these (`any`: any positive answer). */
  when?: { question: string; anyOf: (string | boolean)[] };
  /** transparency: who owes the duty. */
  party?: 'provider' | 'deployer';
  /** transparency_exemption: the question whose duty this exempts. */
  exempts?: string;
  /** transparency: a yes is also this Annex III point (emotion recognition). */
  annexIII?: string;
  /** text: the expected format. */
  format?: 'date';
}

export interface RiskPolicy {
  questions: RiskQuestion[];
  dataClasses: DataClassDef[];
  /** sha256 of risk.yaml as loaded, recorded with every tier decision (absent for hand-built policies). */
  version?: string;
}

export interface DataClassDef {
  id: DataClass;
  name: string;
  description: string;
  /** Higher is more sensitive. */
  rank: number;
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
  /** Id of the `sources` entry the date is taken from. */
  source?: string;
}

/** One obligation Steward tracks per use case (playbooks/regulation.yaml `obligations`). */
export interface ObligationDef {
  id: string;
  /** Article, paragraph and point, e.g. "Art. 26(1)". */
  article: string;
  title: string;
  /** Owed when the organisation is one of these parties for the use case. */
  party: ('provider' | 'deployer')[];
  when: {
    tiers?: RiskTier[];
    routes?: ('annex_iii' | 'annex_i')[];
    /** Every listed answer must hold (option ids, or true/false for yes/no questions). */
    if?: Record<string, (string | boolean)[]>;
    /** At least one listed answer must hold. */
    ifAny?: Record<string, (string | boolean)[]>;
    /** The Art. 50 paragraph the classifier found applicable. */
    art50?: string;
    /** Applies only when an Art. 27 FRIA is triggered. */
    fria?: boolean;
    /** Applies only when the Art. 6(3) derogation is relied on. */
    exemption63?: boolean;
  };
  /** applicationDates id it applies from; or one per high-risk route. */
  from?: string;
  fromByRoute?: { annex_iii?: string; annex_i?: string };
  /** A system placed on the market before `date` applies from `row` instead. */
  fromIfPlacedBefore?: { date: string; row: string };
  controlIds: string[];
  /** RACI area whose Accountable owns the obligation for a use case. */
  owner: string;
}

export interface RegulationPolicy {
  /** Which set of dates applies: the original Art. 113 dates or the amended ones. */
  datesInForce: 'original' | 'amended';
  amendment?: { name: string; instrument: string; status: string };
  sources?: { id: string; title: string; url: string; what: string }[];
  applicationDates: ApplicationDateDef[];
  obligations?: ObligationDef[];
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
