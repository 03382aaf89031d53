/**
 * What the domain needs from the outside world, as interfaces. src/store implements the
 * repositories with mongoose; tests use the same implementations on the real database.
 *
 * Exactly-once rule: where something must happen once (a vote, a decision, a delivery),
 * the repository inserts a unique key and reports a duplicate as ConflictError or `false`,
 * never relying on a conditional update (not atomic on FerretDB).
 */
import type { DomainEvent } from './events';
import type { EvalRun } from './evals/types';
import type { Policy } from './policy';
import type {
  Approval,
  ApprovalStatus,
  AuditEntry,
  DataClass,
  Incident,
  IncidentStatus,
  Person,
  RegisteredModel,
  Review,
  RiskTier,
  Stage,
  UseCase,
} from './types';
import type { AuditRepository, Change, Committed, HistoryEntry } from './historyPorts';

// The history and audit ports live beside these (one write model, src/domain/historyPorts.ts).
export type { AuditCheckpoint, AuditRepository, Change, Committed, HistoryEntry, NewHistoryEntry, StreamHead } from './historyPorts';

export interface Clock {
  /** The current time; tests pass a controllable clock. */
  now(): Date;
}

export interface PeopleRepository {
  /** Inserts version 1 of a person; ConflictError if the id, Slack id, Teams id or email is taken. */
  create(person: Person, change: Change): Promise<Committed<Person>>;
  findById(id: string): Promise<Person | null>;
  findBySlackUserId(slackUserId: string): Promise<Person | null>;
  findByTeamsAadObjectId(aadObjectId: string): Promise<Person | null>;
  /** Case-insensitive match on email. */
  findByEmail(email: string): Promise<Person | null>;
  /** Everyone holding the role. */
  findByRole(role: string): Promise<Person[]>;
  list(): Promise<Person[]>;
  /**
   * Everyone, for display only (names on cards): may be a few seconds behind other processes'
   * writes. Never use it to decide anything; absent, callers use list().
   */
  listForDisplay?(): Promise<Person[]>;
  /**
   * Several people in one read, from the list the repository keeps for queries (it may trail a
   * write in flight by a moment). For routing messages (who is reachable on which channel), never
   * for decisions; absent, callers use findById one by one.
   */
  findMany?(ids: string[]): Promise<Person[]>;
  /**
   * Appends the next version of the person (`person.rev` is the version read). StaleWriteError
   * when someone else wrote that version first; ConflictError if a chat identity or email is taken.
   */
  update(person: Person, change: Change): Promise<Committed<Person>>;
}

export interface UseCaseFilter {
  stage?: Stage;
  tier?: RiskTier;
  /** Use cases where the person is proposer, owner or named in the RACI. */
  personId?: string;
  /** Case-insensitive substring of title or description. */
  text?: string;
}

export interface UseCaseRepository {
  /** Allocates the next UC-n (unique-index claim) and writes version 1 with its change (built for that key). */
  create(data: Omit<UseCase, 'key' | 'seq'>, changeFor: (key: string) => Change): Promise<Committed<UseCase>>;
  /** The latest version, read from the record's history. Key lookup is case-insensitive ("uc-3" finds UC-3). */
  get(key: string): Promise<UseCase | null>;
  list(filter?: UseCaseFilter): Promise<UseCase[]>;
  /** A use case for display only (`show`, `raci`): may be a few seconds old; absent, use get(). */
  getForDisplay?(key: string): Promise<UseCase | null>;
  /** Appends the next version (`useCase.rev` is the version read); StaleWriteError if another writer won it. */
  save(useCase: UseCase, change: Change): Promise<Committed<UseCase>>;
  /** Use cases whose `models` include the model name. */
  listByModel(modelName: string): Promise<UseCase[]>;
}

export interface ApprovalRepository {
  /** Allocates the next APR-n and writes version 1. ConflictError if the use case already has a pending approval. */
  create(data: Omit<Approval, 'key' | 'seq' | 'votes'>, changeFor: (key: string) => Change): Promise<Committed<Approval>>;
  /** The latest version, votes included. Case-insensitive key. */
  get(key: string): Promise<Approval | null>;
  list(filter?: { status?: ApprovalStatus; useCaseKey?: string; approverId?: string }): Promise<Approval[]>;
  /**
   * Appends the next version (votes are part of it): a vote and the decision it completes are
   * one write. StaleWriteError if another writer won that version.
   */
  save(approval: Approval, change: Change): Promise<Committed<Approval>>;
}

export interface ModelRepository {
  /** Writes version 1; ConflictError if the name exists. */
  create(model: RegisteredModel, change: Change): Promise<Committed<RegisteredModel>>;
  /** Case-insensitive name. */
  get(name: string): Promise<RegisteredModel | null>;
  list(): Promise<RegisteredModel[]>;
  /** Appends the next version (`model.rev` is the version read); StaleWriteError if another writer won it. */
  save(model: RegisteredModel, change: Change): Promise<Committed<RegisteredModel>>;
}

/** Stored evaluation runs (src/evals produces them; src/domain/evals/recordEvalRun stores them). */
export interface EvalRunRepository {
  /** Inserts a run; ConflictError if the runId exists. */
  create(run: EvalRun): Promise<EvalRun>;
  /** The run with its per-case results, or null. */
  get(runId: string): Promise<EvalRun | null>;
  /** The newest run of this model and suite whose assessment passed, or null. */
  latestPassing(modelName: string, suite: string): Promise<EvalRun | null>;
  /** Runs of a model, newest first. */
  list(modelName: string): Promise<EvalRun[]>;
}

export interface IncidentRepository {
  /** Allocates the next INC-n and writes version 1. */
  create(data: Omit<Incident, 'key' | 'seq'>, changeFor: (key: string) => Change): Promise<Committed<Incident>>;
  /** The latest version, read from the record's history. */
  get(key: string): Promise<Incident | null>;
  list(filter?: { status?: IncidentStatus[]; useCaseKey?: string; ownerId?: string }): Promise<Incident[]>;
  /** Appends the next version (`incident.rev` is the version read); StaleWriteError if another writer won it. */
  save(incident: Incident, change: Change): Promise<Committed<Incident>>;
}

export interface ReviewRepository {
  /** Writes version 1; ConflictError if (useCaseKey, cycle) exists. */
  create(review: Review, change: Change): Promise<Committed<Review>>;
  /** The latest version of one review, by key `<useCaseKey>#<cycle>` (src/domain/reviews/reviewRecords.ts). */
  get(key: string): Promise<Review | null>;
  /** The open (neither completed nor cancelled) review of a use case, if any, read from the history. */
  open(useCaseKey: string): Promise<Review | null>;
  list(filter?: { useCaseKey?: string; open?: boolean; dueBefore?: Date }): Promise<Review[]>;
  /** Appends the next version (`review.rev` is the version read); StaleWriteError if another writer won it. */
  save(review: Review, change: Change): Promise<Committed<Review>>;
}

/** Unique keys as claims: the general exactly-once primitive (Slack retries, reminders …). */
export interface ClaimRepository {
  /** True the first time a key is claimed, false ever after. */
  claim(key: string, data?: Record<string, unknown>): Promise<boolean>;
  /** Releases a claim (e.g. after a failed attempt that should be retried). */
  release(key: string): Promise<void>;
  /**
   * Deletes the retry claims of chat channels (claims whose data.channel is one of `channels`)
   * made before `before`. Chat platforms retry within minutes, so old ones guard nothing; the
   * domain's own exactly-once claims carry no channel and are never pruned.
   */
  pruneChannelClaims(channels: string[], before: Date): Promise<number>;
}

export interface Repositories {
  people: PeopleRepository;
  useCases: UseCaseRepository;
  approvals: ApprovalRepository;
  models: ModelRepository;
  incidents: IncidentRepository;
  audit: AuditRepository;
  reviews: ReviewRepository;
  claims: ClaimRepository;
  /** Erasure (GDPR Art. 17) of personal data outside the records; absent in test doubles without it. */
  personalData?: PersonalDataStore;
}

/** A record whose newest version mentions a person (found by personal values, for erasure). */
export interface RecordRef {
  kind: 'usecase' | 'approval' | 'incident' | 'review' | 'model';
  key: string;
}

/** What erasing a person needs beyond writing record versions (src/store/personalData.ts). */
export interface PersonalDataStore {
  /** Records whose newest version contains any of `values` (a name, an email, a chat id). */
  recordsMentioning(values: string[]): Promise<RecordRef[]>;
  /**
   * Replaces `values` with `pseudonym` in operational copies (outbox messages and attempts,
   * message references, chat references, claims), and drops the person's chat references.
   * Never in the history. Returns the rows changed.
   */
  scrubCopies(personId: string, values: string[], pseudonym: string): Promise<number>;
  /** Destroys the key of the person's sealed history values: they become unreadable. */
  destroyKey(personId: string): Promise<void>;
}

export interface EventBus {
  /**
   * Delivers the event to every subscriber; a failing subscriber never fails the operation.
   * Resolves to the number of subscribers that failed (the reaction sweep then retries).
   */
  emit(event: DomainEvent): Promise<number>;
  /** Subscribes; returns an unsubscribe function. */
  on(handler: (event: DomainEvent) => Promise<void> | void): () => void;
}

/** A message to one person or channel, already channel-neutral (see src/conversation). */
export interface OutboundMessage {
  /** Unique delivery key: the same key is never delivered twice. */
  key: string;
  to: { personId: string } | { channel: 'incidents' | 'governance' | 'coe' };
  /** Neutral card (src/conversation/cards); typed loosely here to keep the domain free of it. */
  card: unknown;
  /** Plain-text fallback for notifications. */
  text: string;
  /** Thread the message under an earlier one (incident timelines), by that message's key. */
  threadKey?: string;
  /**
   * For a channel message: a chat channel with no such channel configured skips it (delivered
   * as nothing to post) instead of failing; e.g. approvals in an optional governance channel.
   */
  ifConfigured?: boolean;
}

export interface Notifier {
  /** Delivers a message through one channel. Throws on failure so the caller can retry. */
  send(message: OutboundMessage, recipient?: Person): Promise<{ ref: string }>;
}

export interface DataClassCheck {
  allowed: boolean;
  reason: string;
}

/** Everything a domain operation receives besides its own input. */
export interface DomainContext {
  repos: Repositories;
  clock: Clock;
  events: EventBus;
  policy: Policy;
  /**
   * Appends a standalone line to the trail (stream `log:<subject>`), for acts that change no
   * record (an evaluation queued, an export). A record's changes are audited by its own writes.
   */
  audit(entry: { actorId: string; action: string; subject: string; data?: Record<string, unknown>; events?: DomainEvent[] }): Promise<AuditEntry>;
  /** Runs a committed entry's consequences now (src/domain/records/react.ts); the sweep retries what fails. */
  react(entry: HistoryEntry): Promise<void>;
}

export type { DataClass };

/** Where a queued message stands (src/notifications dispatches; the console lists). */
export type DeliveryStatus = 'pending' | 'sent' | 'failed' | 'dead';

/** One queued OutboundMessage and its delivery history, as the outbox reports it. */
export interface Delivery extends OutboundMessage {
  status: DeliveryStatus;
  /** Attempts started so far (each claimed once: `<key>#<attempt>`). */
  attempts: number;
  lastError?: string;
  /** When the next attempt may start (absent once sent or dead). */
  nextAttemptAt?: Date;
  sentAt?: Date;
  /** Per-channel message reference (Slack ts, Teams activity id, console), to update or thread later. */
  refs: Record<string, string>;
  createdAt: Date;
}

/** One attempt waiting in the outbox queue. */
export interface QueuedAttempt {
  key: string;
  attempt: number;
  nextAttemptAt: Date;
  /** The message, carried by first attempts so sending needs no second read. */
  message?: OutboundMessage;
  /** Where a first attempt's message is stored with others queued at the same time (read by id). */
  batch?: string;
}

/** What one attempt came to. `retryAt` set: try again then; `dead`: give up (kept, listable). */
export interface AttemptOutcome {
  key: string;
  attempt: number;
  outcome: 'sent' | 'failed' | 'dead';
  /** Channels that have the message after this attempt (earlier attempts' included). */
  refs: Record<string, string>;
  error?: string;
  retryAt?: Date;
  at: Date;
}

/**
 * The notification outbox. Not part of `Repositories` (src/store/deliveries.repo.ts exports a
 * factory): domain sweeps receive it beside the DomainContext (see src/domain/schedules).
 * Every state change is an insert under a unique key (queue entry, attempt claim, outcome):
 * exactly-once without conditional updates, and fast in batches on FerretDB.
 */
export interface DeliveryRepository {
  /** Queues a message under its unique key; false when the key was already queued (never sent twice). */
  enqueue(message: OutboundMessage, at: Date): Promise<boolean>;
  /** The same for many messages in one round trip; returns how many were new. */
  enqueueMany(messages: OutboundMessage[], at: Date): Promise<number>;
  get(key: string): Promise<Delivery | null>;
  /** Queued attempts due at `now`, oldest first. */
  due(now: Date, limit: number): Promise<QueuedAttempt[]>;
  /** Claims attempts (unique insert each); returns the `<key>#<attempt>` ids this caller won. */
  claimAttempts(attempts: QueuedAttempt[], at: Date, leaseUntil: Date): Promise<Set<string>>;
  /** For attempts claimed elsewhere: whether each has an outcome, and its lease. */
  attemptState(ids: string[]): Promise<Map<string, { leaseUntil: Date; done: boolean }>>;
  /**
   * The messages, and the refs earlier attempts collected for those in `retried`, by key; with
   * the id of the request that queued each (if any), so its delivery logs can be followed.
   * `batches` (QueuedAttempt.batch) are read first; only keys they lack are looked up by key.
   */
  messages(keys: string[], retried?: string[], batches?: string[]): Promise<Map<string, { message: OutboundMessage; refs: Record<string, string>; requestId?: string }>>;
  /** Stores outcomes (the first per attempt wins), queues retries, and removes the finished queue entries. */
  recordOutcomes(outcomes: AttemptOutcome[]): Promise<void>;
  /** Queues again messages stored but never queued (an enqueuer stopped mid-way), created in [since, before]. */
  requeueOrphans(since: Date, before: Date): Promise<number>;
  /** Drops queue entries whose attempt already has an outcome (left by a crash). */
  dropQueued(ids: string[]): Promise<void>;
  /** Deliveries by status (e.g. every dead one), newest first. */
  list(filter?: { status?: DeliveryStatus[]; since?: Date; limit?: number }): Promise<Delivery[]>;
  /** The console inbox: deliveries addressed to the person, newest first. */
  listForPerson(personId: string, since?: Date): Promise<Delivery[]>;
  /**
   * The console's one poll for every open inbox: messages to any of these people stored at or
   * after `since`, oldest first (at most `limit`); the message and when it was stored, no status.
   */
  inboxSince(personIds: string[], since: Date, limit?: number): Promise<Array<OutboundMessage & { createdAt: Date; toPersonId: string }>>;
}
