/**
 * Wires the evidence ports on one connection: packs and the two versioned records (src/store),
 * the evaluation runs, the renderers of this folder, and the texts and hashes of the playbooks.
 */
import type { Connection } from 'mongoose';
import type { EvidencePorts, ObligationsFor } from '../domain/evidence/ports';
import type { DomainContext } from '../domain/ports';
import { createComplianceRepository, createSoaRepository, MongoPackRepository } from '../store/evidence.repo';
import { MongoEvalRunRepository } from '../store/evalRuns.repo';
import { MongoHistoryRepository } from '../store/history.repo';
import { renderMarkdown, sha256 } from './markdown';
import { renderPdf } from './pdf';
import { evalSuitePlans, loadEvidenceTexts, playbookHashes } from './texts';

export interface EvidencePortOptions {
  playbooksDir: string;
  /** The legal model's obligations (issue 13); absent, packs say obligations were not determined. */
  obligationsFor?: ObligationsFor;
}

export function createEvidencePorts(ctx: DomainContext, conn: Connection, opts: EvidencePortOptions): EvidencePorts {
  const history = ctx.repos.audit;
  if (!(history instanceof MongoHistoryRepository)) throw new Error('evidence records need the MongoDB history repository');
  return {
    texts: loadEvidenceTexts(opts.playbooksDir),
    compliance: createComplianceRepository(conn, history),
    soa: createSoaRepository(conn, history),
    packs: new MongoPackRepository(conn),
    evalRuns: new MongoEvalRunRepository(conn),
    renderers: { markdown: renderMarkdown, pdf: renderPdf, sha256 },
    playbooks: playbookHashes(opts.playbooksDir),
    evalSuites: evalSuitePlans(opts.playbooksDir),
    ...(opts.obligationsFor ? { obligationsFor: opts.obligationsFor } : {}),
  };
}
