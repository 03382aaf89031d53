/**
 * Evidence storage: generated packs (one insert each, `_id` = `<UC-n>#<version>`, so two
 * generators never overwrite each other and a pack can be verified later), and two records kept
 * as their history like every other: a use case's compliance record (`compliance:UC-n`) and the
 * organisation's Statement of Applicability (`soa:SOA`).
 */
import { Schema, type Connection, type Model } from 'mongoose';
import type { ComplianceRepository, PackRepository, SoaRepository, StoredPack } from '../domain/evidence/ports';
import type { SoaRecord, UseCaseCompliance } from '../domain/evidence/types';
import type { Change, Committed } from '../domain/ports';
import type { MongoHistoryRepository } from './history.repo';
import { isDuplicateKey } from './mongoErrors';
import { VersionedRecords } from './versioned';

const packSchema = new Schema(
  {
    _id: { type: String, required: true },
    useCaseKey: { type: String, required: true, index: true },
    version: { type: Number, required: true },
    // JSON text: stream names (model:gpt-4.1) may hold dots, which FerretDB refuses in keys.
    manifest: { type: String, required: true },
    pdfSha256: { type: String, required: true },
    markdown: { type: String, required: true },
    pdf: { type: Buffer, required: true },
    by: { type: String, required: true },
  },
  { collection: 'evidence_packs', versionKey: false, minimize: false },
);

const toPack = (d: any): StoredPack => ({
  manifest: JSON.parse(d.manifest),
  pdfSha256: d.pdfSha256,
  markdown: d.markdown,
  // The driver hands back a BSON Binary; callers want the bytes.
  pdf: Buffer.isBuffer(d.pdf) ? d.pdf : Buffer.from(d.pdf.buffer ?? d.pdf),
  by: d.by,
});

export class MongoPackRepository implements PackRepository {
  readonly model: Model<any>;
  constructor(conn: Connection) {
    this.model = conn.models.EvidencePack ?? conn.model('EvidencePack', packSchema);
  }

  async insert(pack: StoredPack): Promise<boolean> {
    try {
      await this.model.collection.insertOne({
        _id: pack.manifest.packId as never,
        useCaseKey: pack.manifest.useCaseKey,
        version: pack.manifest.version,
        manifest: JSON.stringify(pack.manifest),
        pdfSha256: pack.pdfSha256,
        markdown: pack.markdown,
        pdf: pack.pdf,
        by: pack.by,
      });
      return true;
    } catch (e) {
      if (isDuplicateKey(e)) return false;
      throw e;
    }
  }

  async get(packId: string): Promise<StoredPack | null> {
    const d = await this.model.collection.findOne({ _id: packId as never });
    return d ? toPack(d) : null;
  }

  async latestVersion(useCaseKey: string): Promise<number> {
    const d: any = await this.model.collection.find({ useCaseKey }, { projection: { version: 1 } }).sort({ version: -1 }).limit(1).next();
    return d?.version ?? 0;
  }
}

const date = (v: any): Date | undefined => (v === undefined || v === null ? undefined : new Date(v));
const defined = <T extends object>(o: T): T => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;

const toCompliance = (s: any): UseCaseCompliance =>
  defined({
    key: s.key,
    fria: s.fria ? defined({ ...s.fria, at: new Date(s.fria.at), notifiedAt: date(s.fria.notifiedAt) }) : undefined,
    registration: s.registration ? { ...s.registration, at: new Date(s.registration.at) } : undefined,
    conformity: s.conformity ? { ...s.conformity, at: new Date(s.conformity.at) } : undefined,
    monitoringReports: (s.monitoringReports ?? []).map((r: any) => ({ ...r, from: new Date(r.from), to: new Date(r.to) })),
    updatedAt: new Date(s.updatedAt),
  });

const toSoa = (s: any): SoaRecord => ({
  key: 'SOA',
  overrides: (s.overrides ?? []).map((o: any) => ({ ...o, at: new Date(o.at) })),
  updatedAt: new Date(s.updatedAt),
});

const projectionSchema = (collection: string) => new Schema({ _id: String, rev: Number }, { collection, strict: false, versionKey: false });

class VersionedRepo<T extends { rev?: number; key: string }> {
  readonly records: VersionedRecords<T>;
  constructor(conn: Connection, history: MongoHistoryRepository, kind: string, modelName: string, collection: string, fromState: (s: any) => T) {
    const model = conn.models[modelName] ?? conn.model(modelName, projectionSchema(collection));
    this.records = new VersionedRecords<T>(history, model, {
      kind,
      keyOf: (r) => r.key,
      toProjection: (r) => JSON.parse(JSON.stringify({ ...r, rev: undefined })),
      fromState,
    });
  }
  get(key: string): Promise<T | null> {
    return this.records.head(key.trim().toUpperCase());
  }
  save(record: T, change: Change): Promise<Committed<T>> {
    return this.records.write(record, change);
  }
}

export const createComplianceRepository = (conn: Connection, history: MongoHistoryRepository): ComplianceRepository =>
  new VersionedRepo<UseCaseCompliance>(conn, history, 'compliance', 'Compliance', 'compliance', toCompliance);

export const createSoaRepository = (conn: Connection, history: MongoHistoryRepository): SoaRepository =>
  new VersionedRepo<SoaRecord>(conn, history, 'soa', 'Soa', 'soa', toSoa);
