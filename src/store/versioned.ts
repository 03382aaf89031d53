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
  /** Ignored: a projection's _id is the record's key (FerretDB serves only _id equality from an index). */
  projectionFilter?(key: string): Record<string, unknown>;
  /** A record from its stored state (Dates and optionals restored). */
  fromState(state: any): T;
  /**
   * Personal data kept out of the history in clear (src/store/personVault.ts): applied to the
   * state and the change's data before the version is hashed and stored.
   */
  seal?(state: Record<string, unknown>, data: Record<string, unknown> | undefined): Promise<{ state: Record<string, unknown>; data: Record<string, unknown> | undefined }>;
  /** The reverse of seal, on every state read back from the history. */
  open?(state: any): Promise<any>;
}

export class VersionedRecords<T extends { rev?: number }> {
  readonly opts: VersionedOptions<T> & { projectionFilter(key: string): { _id: string } };
  constructor(
    readonly history: MongoHistoryRepository,
    readonly projection: Model<any>,
    opts: VersionedOptions<T>,
  ) {
    this.opts = { ...opts, projectionFilter: (key) => ({ _id: key }) };
  }

  /** The version the projection shows (0 when it has none), by a point read. */
  private async projectedRev(key: string): Promise<number> {
    const doc: any = await this.projection.collection.findOne({ _id: key as never }, { projection: { rev: 1 } });
    return doc?.rev ?? 0;
  }

  stream(key: string): string {
    return `${this.opts.kind}:${key}`;
  }

  /** The newest version, from the history. */
  async head(key: string): Promise<T | null> {
    const entry = await this.history.head(this.stream(key));
    return entry?.state ? { ...this.opts.fromState(await this.opened(entry.state)), rev: entry.version } : null;
  }

  private opened(state: any): Promise<any> {
    return this.opts.open ? this.opts.open(state) : Promise.resolve(state);
  }

  /** Writes version `record.rev + 1` with its change, or throws StaleWriteError if it was taken. */
  async write(record: T, change: Change): Promise<Committed<T>> {
    const key = this.opts.keyOf(record);
    const expected = record.rev ?? 0;
    const { rev: _rev, ...clear } = record as T & Record<string, unknown>;
    const sealed = this.opts.seal ? await this.opts.seal(clear, change.data) : { state: clear, data: change.data };
    const state = sealed.state;
    const entry = await this.history.append(
      {
        stream: this.stream(key),
        at: change.at,
        actorId: change.actorId,
        action: change.action,
        subject: key,
        data: sealed.data,
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

  /**
   * Brings the projection up to `record`'s version, unless a newer one is already there. Only
   * _id point operations (a filtered replace would scan the collection on FerretDB); a writer
   * that overtakes another between its check and its replace is caught by the head check after.
   */
  async project(record: T): Promise<void> {
    const key = this.opts.keyOf(record);
    let current: T | null = record;
    for (let i = 0; i < 5 && current; i++) {
      const version = current.rev ?? 0;
      if ((await this.projectedRev(key)) < version) {
        try {
          await this.projection.collection.replaceOne({ _id: key as never }, { ...this.opts.toProjection(current), _id: key, rev: version }, { upsert: true });
        } catch (e) {
          // Two first projections raced on the upsert: the head check below settles it.
          if (!isDuplicateKey(e)) throw e;
        }
      }
      const head = await this.history.head(this.stream(key));
      if (!head || head.version <= version) return;
      if ((await this.projectedRev(key)) >= head.version) return;
      current = head.state ? { ...this.opts.fromState(await this.opened(head.state)), rev: head.version } : null;
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
      if ((await this.projectedRev(key)) >= h.version) continue;
      const record = await this.head(key);
      if (record) {
        await this.project(record);
        fixed++;
      }
    }
    return fixed;
  }
}
