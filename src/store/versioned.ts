/**
 * A record kept as its history: every version is one entry of the history collection (its
 * state, who changed it, why), and the record's collection (use_cases, approvals, …) is a
 * projection of the newest version for queries and lists.
 *
 * Decisions read the newest version from the history (get), never the projection. The
 * projection is replaced only by a newer version; on FerretDB that filtered replace is not
 * atomic, so after writing it each writer checks the history's head and re-projects when a
 * newer version slipped under it, and reprojectAll (run at start) repairs what a crash left.
 */
import type { Model } from 'mongoose';
import type { Change, Committed } from '../domain/ports';
import { StaleWriteError } from '../domain/records/staleWrite';
import type { MongoHistoryRepository } from './history.repo';
import { isDuplicateKey } from './mongoErrors';

export interface VersionedOptions<T> {
  /** Stream prefix: `usecase` gives streams `usecase:UC-3`. */
  kind: string;
  keyOf(record: T): string;
  /** The projection document of a record (its own _id/key fields included). */
  toProjection(record: T): Record<string, unknown>;
  /** The projection's filter for a key. */
  projectionFilter(key: string): Record<string, unknown>;
  /** A record from its stored state (Dates and optionals restored). */
  fromState(state: any): T;
}

export class VersionedRecords<T extends { rev?: number }> {
  constructor(
    readonly history: MongoHistoryRepository,
    readonly projection: Model<any>,
    readonly opts: VersionedOptions<T>,
  ) {}

  stream(key: string): string {
    return `${this.opts.kind}:${key}`;
  }

  /** The newest version, from the history. */
  async head(key: string): Promise<T | null> {
    const entry = await this.history.head(this.stream(key));
    return entry?.state ? { ...this.opts.fromState(entry.state), rev: entry.version } : null;
  }

  /** Writes version `record.rev + 1` with its change, or throws StaleWriteError if it was taken. */
  async write(record: T, change: Change): Promise<Committed<T>> {
    const key = this.opts.keyOf(record);
    const expected = record.rev ?? 0;
    const { rev: _rev, ...state } = record as T & Record<string, unknown>;
    const entry = await this.history.append(
      {
        stream: this.stream(key),
        at: change.at,
        actorId: change.actorId,
        action: change.action,
        subject: key,
        data: change.data,
        cause: change.cause,
        state: state as Record<string, unknown>,
        events: change.events,
      },
      expected,
    );
    if (!entry) throw new StaleWriteError(this.stream(key), expected + 1);
    const stored = { ...record, rev: entry.version };
    await this.project(stored);
    return { record: stored, entry };
  }

  /** Brings the projection up to `record`'s version, unless a newer one is already there. */
  async project(record: T): Promise<void> {
    const key = this.opts.keyOf(record);
    let current: T | null = record;
    for (let i = 0; i < 5 && current; i++) {
      const version = current.rev ?? 0;
      try {
        await this.projection.collection.replaceOne(
          { ...this.opts.projectionFilter(key), $or: [{ rev: { $lt: version } }, { rev: { $exists: false } }] },
          { ...this.opts.toProjection(current), rev: version },
          { upsert: true },
        );
      } catch (e) {
        // The upsert found a projection at this or a newer version (its unique key said so).
        if (!isDuplicateKey(e)) throw e;
      }
      const head = await this.history.head(this.stream(key));
      if (!head || head.version <= version) return;
      const projected: any = await this.projection.collection.findOne(this.opts.projectionFilter(key), { projection: { rev: 1 } });
      if ((projected?.rev ?? 0) >= head.version) return;
      current = head.state ? { ...this.opts.fromState(head.state), rev: head.version } : null;
    }
  }

  /** Re-projects every record whose projection is behind its history (after a crash, at start). */
  async reprojectAll(): Promise<number> {
    const heads = await this.history.heads();
    const prefix = `${this.opts.kind}:`;
    let fixed = 0;
    for (const h of heads) {
      if (!h.stream.startsWith(prefix)) continue;
      const key = h.stream.slice(prefix.length);
      const projected: any = await this.projection.collection.findOne(this.opts.projectionFilter(key), { projection: { rev: 1 } });
      if ((projected?.rev ?? 0) >= h.version) continue;
      const record = await this.head(key);
      if (record) {
        await this.project(record);
        fixed++;
      }
    }
    return fixed;
  }
}
