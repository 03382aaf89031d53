/**
 * Evidence packs (issue 14) as plain data: the legal texts a pack cites (loaded from
 * playbooks/evidence.yaml), the per-use-case compliance record (FRIA, EU database
 * registration, conformity, monitoring reports), the organisation's Statement of
 * Applicability, and the neutral document a pack is rendered from.
 */

/** playbooks/evidence.yaml: texts copied from the Official Journal, with their source. */
export interface EvidenceTexts {
  version: number;
  regulation: string;
  annexIV: { intro: string; sections: { point: number; heading: string; text: string }[] };
  fria: { article: string; title: string; scope: string; elements: { id: FriaElementId; text: string }[]; notification: string };
  articles: { article: string; title: string; text: string }[];
}

export const FRIA_ELEMENT_IDS = ['a', 'b', 'c', 'd', 'e', 'f'] as const;
export type FriaElementId = (typeof FRIA_ELEMENT_IDS)[number];

/** One version of the Art. 27 assessment, as the deployer's Accountable filled it in. */
export interface Fria {
  elements: Record<FriaElementId, string>;
  /** Person id of who filled it in (the deployer's Accountable, or an admin). */
  by: string;
  at: Date;
  /** Art. 27(3): the notification to the market surveillance authority, once sent. */
  notifiedAt?: Date;
  notificationRef?: string;
}

/** Arts. 49 and 71: the EU database registration once done. */
export interface Registration {
  registrationId: string;
  registeredOn: string; // YYYY-MM-DD
  by: string;
  at: Date;
}

export const CONFORMITY_ROUTES = ['annex_vi_internal_control', 'annex_vii_notified_body'] as const;
export type ConformityRoute = (typeof CONFORMITY_ROUTES)[number];

/** Arts. 43, 47, 48 for providers of high-risk systems. */
export interface Conformity {
  route?: ConformityRoute;
  declarationRef?: string;
  declarationSignedOn?: string;
  ceMarkedOn?: string;
  by: string;
  at: Date;
}

/** An Art. 72 periodic monitoring report, generated from runs and incidents since the last one. */
export interface MonitoringReport {
  seq: number;
  from: Date;
  to: Date;
  evalRuns: number;
  failedRuns: number;
  incidents: number;
  seriousIncidents: number;
  by: string;
}

/** The compliance record of one use case (stream `compliance:UC-n`), versioned like every record. */
export interface UseCaseCompliance {
  rev?: number;
  /** The use case key: the record shares it. */
  key: string;
  fria?: Fria;
  registration?: Registration;
  conformity?: Conformity;
  monitoringReports: MonitoringReport[];
  updatedAt: Date;
}

export const SOA_STATUSES = ['not_started', 'planned', 'partial', 'implemented'] as const;
export type SoaStatus = (typeof SOA_STATUSES)[number];

/** An AI CoE admin's decision on one ISO/IEC 42001 Annex A control, over what is derived. */
export interface SoaOverride {
  controlId: string;
  applicable: boolean;
  justification: string;
  status?: SoaStatus;
  by: string;
  at: Date;
}

/** The organisation's Statement of Applicability (one record, key `SOA`): only the edits are stored. */
export interface SoaRecord {
  rev?: number;
  key: 'SOA';
  overrides: SoaOverride[];
  updatedAt: Date;
}

/** Neutral document model, rendered to Markdown and PDF outside the domain. */
export type Block =
  | { kind: 'paragraph'; text: string }
  | { kind: 'quote'; text: string; cite: string }
  | { kind: 'fields'; rows: [string, string][] }
  | { kind: 'table'; header: string[]; rows: string[][] }
  | { kind: 'list'; items: string[] }
  /** Something the record does not hold: who should provide it. */
  | { kind: 'gap'; what: string; owner: string };

export interface DocSection {
  id: string;
  heading: string;
  blocks: Block[];
  subsections?: DocSection[];
}

/** What a pack was built from, so `evidence verify` can say what changed since. */
export interface PackManifest {
  packId: string;
  useCaseKey: string;
  version: number;
  generatedAt: string;
  /** Stream versions read: `usecase:UC-3` → 12, `model:gpt-4o` → 3, … */
  builtFrom: Record<string, number>;
  playbooks: { file: string; sha256: string }[];
  /** sha256 of the Markdown body (everything before the manifest block). */
  contentHash: string;
}

export interface EvidenceDocument {
  title: string;
  subtitle: string;
  sections: DocSection[];
}
