/**
 * What evidence operations need beyond the DomainContext. Kept apart from Repositories (like
 * the outbox) so the rest of the domain is unchanged; src/store/evidence.repo.ts implements
 * them, the evidence module (src/evidence) wires them.
 */
import type { EvalRun } from '../evals/types';
import type { Obligation } from '../obligations/types';
import type { Change, Committed } from '../ports';
import type { UseCase } from '../types';
import type { EvidenceTexts, PackManifest, SoaRecord, UseCaseCompliance } from './types';

/** A generated pack as stored: unique per (use case, version), so it can be verified later. */
export interface StoredPack {
  manifest: PackManifest;
  /** sha256 of the PDF bytes, to verify a PDF file. */
  pdfSha256: string;
  markdown: string;
  pdf: Buffer;
  by: string;
}

export interface PackRepository {
  /** Inserts under `<useCaseKey>#<version>`; false when that version exists (another writer won it). */
  insert(pack: StoredPack): Promise<boolean>;
  get(packId: string): Promise<StoredPack | null>;
  /** The highest stored version for a use case (0 when none). */
  latestVersion(useCaseKey: string): Promise<number>;
}

export interface ComplianceRepository {
  /** The newest version from the history (null before the first write). */
  get(key: string): Promise<UseCaseCompliance | null>;
  /** Appends the next version; StaleWriteError when another writer took it. */
  save(record: UseCaseCompliance, change: Change): Promise<Committed<UseCaseCompliance>>;
}

export interface SoaRepository {
  get(key: string): Promise<SoaRecord | null>;
  save(record: SoaRecord, change: Change): Promise<Committed<SoaRecord>>;
}

/** Turns the neutral document into files; implemented in src/evidence (pdfkit stays out of the domain). */
export interface PackRenderers {
  markdown(doc: import('./types').EvidenceDocument, manifest: Omit<PackManifest, 'contentHash'>): { markdown: string; contentHash: string };
  pdf(doc: import('./types').EvidenceDocument, manifest: PackManifest): Promise<Buffer>;
  sha256(data: Buffer | string): string;
}

/** The obligations of one use case on a day (issue 13's obligationsFor, injected). */
export type ObligationsFor = (useCase: UseCase, on: Date) => Obligation[];

export interface EvidencePorts {
  texts: EvidenceTexts;
  compliance: ComplianceRepository;
  soa: SoaRepository;
  packs: PackRepository;
  evalRuns: { list(modelName: string): Promise<EvalRun[]> };
  renderers: PackRenderers;
  /** Playbook files and their hashes (the pack's manifest names them). */
  playbooks: { file: string; sha256: string }[];
  obligationsFor?: ObligationsFor;
  /** Evaluation suites and their thresholds (playbooks/evals/thresholds.yaml), for the monitoring plan. */
  evalSuites: EvalSuitePlan[];
}

export interface EvalSuitePlan {
  suite: string;
  minPassRate: number;
  maxHallucinationRate?: number;
  minInjectionResistance?: number;
  /** Scheduled every N days; absent: on demand only. */
  everyDays?: number;
}
