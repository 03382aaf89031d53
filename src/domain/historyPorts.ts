/**
 * The ports of the write model: every record's history, which is also the audit trail, and
 * the Change each write carries. Re-exported by ./ports.
 */
import type { DomainEvent } from './events';
import type { AuditEntry } from './types';

/**
 * The history of every record and the audit trail are one append-only store: each entry is
 * one version of one stream, inserted under a unique (stream, version), so of two writers that
 * read the same version exactly one appends the next. Entries are hash-chained per stream with
 * the audit signing key; checkpoints sign the heads of all streams.
 */
export interface AuditRepository {
  /**
   * Appends `entry` as version `expectedVersion + 1` of its stream, chained to the entry at
   * `expectedVersion`. Null when that version already exists (another writer won the race).
   */
  append(entry: NewHistoryEntry, expectedVersion: number): Promise<HistoryEntry | null>;
  /** The newest entry of a stream, or null. */
  head(stream: string): Promise<HistoryEntry | null>;
  /** Every entry of a stream, oldest first: a record's history. */
  history(stream: string): Promise<HistoryEntry[]>;
  /** The newest entry of the whole trail (by time), or null. */
  last(): Promise<AuditEntry | null>;
  /** Entries in the trail. */
  count(): Promise<number>;
  /** All entries, by time (`time`), stream by stream in version order (`stream`), or in no order (`stored`: fastest), streamed. */
  all(order?: 'time' | 'stream' | 'stored'): AsyncIterable<HistoryEntry>;
  /** The head (version and hash) of every stream. */
  heads(): Promise<StreamHead[]>;
  /** The stored hashes of the given versions (absent ones left out), keyed `<stream>#<version>`: checkpoints compare them with what they signed. */
  hashesAt(refs: Array<{ stream: string; version: number }>): Promise<Map<string, string>>;
  /** Recomputes an entry's hash with the signing key (verification). */
  hashOf(entry: Omit<HistoryEntry, 'hash'>): string;
  /** Signs a checkpoint body with the signing key. */
  sign(body: string): string;
  /** Stores a checkpoint; false if one with that seq exists. */
  insertCheckpoint(checkpoint: AuditCheckpoint): Promise<boolean>;
  /** The checkpoint with the highest seq, or null. */
  latestCheckpoint(): Promise<AuditCheckpoint | null>;
  /**
   * Entries whose consequences are not yet marked done, written before `before`, oldest first.
   * (Each entry with events is announced in a small pending list before it is written, so
   * finding them never scans the history.)
   */
  pendingReactions(before: Date, limit: number): Promise<HistoryEntry[]>;
  /** Marks an entry's consequences done (idempotent). */
  markReacted(entry: Pick<AuditEntry, 'stream' | 'version'>, at: Date): Promise<void>;
}

/** What a writer supplies; the repository adds version, prevHash and hash. */
export interface NewHistoryEntry {
  stream: string;
  at: Date;
  actorId: string;
  action: string;
  subject: string;
  data?: Record<string, unknown>;
  cause?: string;
  /** The record as of this version (absent for standalone log lines). */
  state?: Record<string, unknown>;
  /** Events to deliver once the entry is stored (replayed by the reaction sweep if a process died first). */
  events?: DomainEvent[];
}

export interface HistoryEntry extends AuditEntry {
  state?: Record<string, unknown>;
  events: DomainEvent[];
}

export interface StreamHead {
  stream: string;
  version: number;
  hash: string;
}

/** A signed statement of every stream's head at one moment (Certificate-Transparency style). */
export interface AuditCheckpoint {
  seq: number;
  at: Date;
  entries: number;
  heads: StreamHead[];
  /** HMAC of the canonical body (seq, at, entries, heads) with the audit signing key. */
  signature: string;
}

/** One change to a record: who, what and why, written in the same insert as the new version. */
export interface Change {
  /** When it happened (the domain's clock): the entry's time. */
  at: Date;
  actorId: string;
  action: string;
  data?: Record<string, unknown>;
  /** The change of another record this one reacts to (`approval:APR-3`); reactions check it to run once. */
  cause?: string;
  /** Announced after the write, and again by the reaction sweep if the writer died first. */
  events?: DomainEvent[];
}

/** A stored version and the history entry that stored it. */
export interface Committed<T> {
  record: T;
  entry: HistoryEntry;
}
