/**
 * People as versioned records (src/store/versioned.ts): each change is one history entry of the
 * stream `person:<id>`, and the `people` collection is a projection for lists and role queries.
 * Chat identities and emails are unique through claims (src/store/identityClaims.ts) taken
 * before the version that holds them is written and released after a version drops them.
 */
import { Schema, type Connection, type Model } from 'mongoose';
import { ConflictError } from '../domain/errors';
import type { Change, Committed, PeopleRepository } from '../domain/ports';
import { isStaleWrite, StaleWriteError } from '../domain/records/staleWrite';
import type { Person } from '../domain/types';
import type { MongoHistoryRepository } from './history.repo';
import { IdentityClaims } from './identityClaims';
import { openFields, PersonVault, sealFields } from './personVault';
import { VersionedRecords } from './versioned';

const personSchema = new Schema(
  {
    _id: { type: String, required: true },
    name: { type: String, required: true },
    email: { type: String },
    emailLower: { type: String, index: true },
    slackUserId: { type: String, index: true },
    teamsAadObjectId: { type: String, index: true },
    roles: { type: [String], default: [], index: true },
    createdAt: { type: Date, required: true },
    erasedAt: { type: Date },
    /** The history version this projection shows (src/store/versioned.ts). */
    rev: { type: Number },
  },
  { collection: 'people', versionKey: false, minimize: false },
);

/** Identity claims and their end tokens (src/store/identityClaims.ts). */
const identitySchema = new Schema(
  {
    _id: { type: String, required: true },
    personId: { type: String, required: true, index: true },
    nonce: { type: String },
    at: { type: Date },
  },
  { collection: 'person_identities', versionKey: false },
);

const identityKeys = (p: Pick<Person, 'email' | 'slackUserId' | 'teamsAadObjectId'>): string[] => [
  ...(p.slackUserId ? [`slack:${p.slackUserId}`] : []),
  ...(p.teamsAadObjectId ? [`teams:${p.teamsAadObjectId}`] : []),
  ...(p.email ? [`email:${p.email.toLowerCase()}`] : []),
];

/** A person from a history state (`id`) or a projection document (`_id`). */
const toPerson = (d: any): Person => ({
  ...(typeof d.rev === 'number' ? { rev: d.rev } : {}),
  id: d.id ?? d._id,
  name: d.name,
  ...(d.email ? { email: d.email } : {}),
  ...(d.slackUserId ? { slackUserId: d.slackUserId } : {}),
  ...(d.teamsAadObjectId ? { teamsAadObjectId: d.teamsAadObjectId } : {}),
  roles: d.roles ?? [],
  createdAt: new Date(d.createdAt),
  ...(d.erasedAt ? { erasedAt: new Date(d.erasedAt) } : {}),
});

/** The projection document; absent optional fields are left out rather than stored as null. */
const toDoc = (p: Person): Record<string, unknown> => {
  const doc: Record<string, unknown> = { _id: p.id, name: p.name, roles: p.roles, createdAt: p.createdAt };
  if (p.email) Object.assign(doc, { email: p.email, emailLower: p.email.toLowerCase() });
  if (p.slackUserId) doc.slackUserId = p.slackUserId;
  if (p.teamsAadObjectId) doc.teamsAadObjectId = p.teamsAadObjectId;
  if (p.erasedAt) doc.erasedAt = p.erasedAt;
  return doc;
};

/** How long listForDisplay may reuse a read; other processes' changes show within this time. */
export const DISPLAY_LIST_MAX_AGE_MS = 5_000;

/**
 * listForDisplay's last read (or the read in flight) and a count of writes, per connection (the
 * Person model is one per connection), so every repository on it sees the others' writes.
 */
interface DisplayState {
  read?: { people: Promise<Person[]>; until: number };
  writes: number;
}
const displayStates = new WeakMap<Model<any>, DisplayState>();

export class MongoPeopleRepository implements PeopleRepository {
  readonly model: Model<any>;
  readonly identities: Model<any>;
  readonly records: VersionedRecords<Person>;
  readonly claims: IdentityClaims;
  /** Keys of the personal data sealed in people's history entries (crypto-shredding on erasure). */
  readonly vault: PersonVault;
  private readonly shared: DisplayState;
  constructor(
    conn: Connection,
    history: MongoHistoryRepository,
    private readonly displayMaxAgeMs = DISPLAY_LIST_MAX_AGE_MS,
  ) {
    this.model = conn.models.Person ?? conn.model('Person', personSchema);
    this.identities = conn.models.PersonIdentity ?? conn.model('PersonIdentity', identitySchema);
    const vault = (this.vault = new PersonVault(conn));
    this.records = new VersionedRecords<Person>(history, this.model, {
      kind: 'person',
      keyOf: (p) => p.id,
      toProjection: toDoc,
      fromState: toPerson,
      // Names, emails and chat ids go into the history sealed with the person's key, so that
      // erasure can make them unreadable without touching a signed entry (src/store/personVault.ts).
      // An erased person's versions hold only a pseudonym: nothing to seal.
      seal: async (state, data) => {
        const id = String(state.id);
        if (state.erasedAt) return { state, data };
        return { state: (await sealFields(vault, id, state))!, data: await sealFields(vault, id, data) };
      },
      open: (state) => openFields(vault, state),
    });
    this.claims = new IdentityClaims(this.identities, async (personId, key) => {
      const person = await this.records.head(personId);
      return !!person && identityKeys(person).includes(key);
    });
    if (!displayStates.has(this.model)) displayStates.set(this.model, { writes: 0 });
    this.shared = displayStates.get(this.model)!;
  }

  async create(person: Person, change: Change): Promise<Committed<Person>> {
    try {
      return await this.insert(person, change);
    } finally {
      this.changed();
    }
  }

  private async insert(person: Person, change: Change): Promise<Committed<Person>> {
    const taken = () => new ConflictError('person.duplicate', `A person with id ${person.id} already exists.`);
    if (await this.records.head(person.id)) throw taken();
    const mine = await this.claims.claimAll(person.id, identityKeys(person), this.records.stream(person.id), 1);
    try {
      return await this.records.write({ ...person, rev: 0 }, change);
    } catch (e) {
      // A refused write releases its claims; an unknown outcome keeps them (the version may
      // exist), and if it does not they are taken over as a dead writer's leftovers.
      if (!isStaleWrite(e)) throw e;
      await this.claims.releaseQuietly(mine, person.id);
      throw taken();
    }
  }

  async update(person: Person, change: Change): Promise<Committed<Person>> {
    try {
      return await this.replace(person, change);
    } finally {
      this.changed();
    }
  }

  private async replace(person: Person, change: Change): Promise<Committed<Person>> {
    const expected = person.rev ?? 0;
    const stream = this.records.stream(person.id);
    const current = await this.records.head(person.id);
    if (!current) throw new ConflictError('person.missing', `Person ${person.id} no longer exists.`);
    // Cheap early loss: claiming identities on top of a version already replaced is wasted work.
    if (current.rev !== expected) throw new StaleWriteError(stream, expected + 1);
    const oldKeys = identityKeys(current);
    const newKeys = identityKeys(person);
    // Read before the write: after it, a claim of a dropped identity may already be someone's new one.
    const dropped = await this.claims.readMany(oldKeys.filter((k) => !newKeys.includes(k)));
    const mine = await this.claims.claimAll(person.id, newKeys.filter((k) => !oldKeys.includes(k)), stream, expected + 1);
    let committed: Committed<Person>;
    try {
      committed = await this.records.write(person, change);
    } catch (e) {
      if (isStaleWrite(e)) await this.claims.releaseQuietly(mine, person.id);
      throw e;
    }
    await this.claims.releaseQuietly(dropped, person.id);
    return committed;
  }

  /** The newest version, from the history (what decisions are made on). */
  findById(id: string): Promise<Person | null> {
    return this.records.head(id);
  }

  /** The person whose newest version holds the identity; a claim no version holds is not believed. */
  private async byIdentity(key: string): Promise<Person | null> {
    const claim = await this.claims.read(key);
    if (!claim) return null;
    const person = await this.records.head(claim.personId);
    return person && identityKeys(person).includes(key) ? person : null;
  }

  findBySlackUserId(slackUserId: string): Promise<Person | null> {
    return this.byIdentity(`slack:${slackUserId}`);
  }

  findByTeamsAadObjectId(aadObjectId: string): Promise<Person | null> {
    return this.byIdentity(`teams:${aadObjectId}`);
  }

  findByEmail(email: string): Promise<Person | null> {
    return this.byIdentity(`email:${email.toLowerCase()}`);
  }

  /** From the projection (a query over everyone); decisions on one person re-read findById. */
  async findByRole(role: string): Promise<Person[]> {
    const docs = await this.model.find({ roles: role }).sort({ createdAt: 1, _id: 1 }).lean();
    return docs.map(toPerson);
  }

  /**
   * From the projection, one query for all of them (the outbox routes a burst of 2,000 messages
   * to 100 people: one read instead of 100 history heads, each several point reads).
   */
  async findMany(ids: string[]): Promise<Person[]> {
    if (!ids.length) return [];
    const docs = await this.model.find({ _id: { $in: [...new Set(ids)] } }).lean();
    return docs.map(toPerson);
  }

  async list(): Promise<Person[]> {
    const docs = await this.model.find().sort({ createdAt: 1, _id: 1 }).lean();
    return docs.map(toPerson);
  }

  /**
   * Everyone, for showing names on cards: the same as list(), but one read serves every caller
   * for up to displayMaxAgeMs (every chat reply names people, and a busy channel paid a full
   * people read per command). Writes through this repository drop it at once; another process's
   * writes show within displayMaxAgeMs. Not for decisions: authorisation and role-based choices
   * use findById/findByRole/list, which always read the database.
   */
  listForDisplay(): Promise<Person[]> {
    const state = this.shared;
    const now = Date.now();
    if (!state.read || state.read.until <= now) {
      const writesAtStart = state.writes;
      const entry = { people: this.list(), until: now + this.displayMaxAgeMs };
      state.read = entry;
      // A failed read is not kept; nor one that a write overtook (it may predate the write).
      const drop = () => {
        if (state.read === entry) state.read = undefined;
      };
      entry.people.then(() => state.writes !== writesAtStart && drop(), drop);
    }
    // Copies, so a caller that edits what it got cannot change what the next caller sees.
    return state.read.people.then((all) => all.map((p) => ({ ...p, roles: [...p.roles] })));
  }

  /** Called after every write attempt (it may have half-happened): the display list may be old. */
  private changed(): void {
    this.shared.writes += 1;
    this.shared.read = undefined;
  }
}
