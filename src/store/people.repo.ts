import { Schema, type Connection, type Model } from 'mongoose';
import { ConflictError } from '../domain/errors';
import type { PeopleRepository } from '../domain/ports';
import type { Person } from '../domain/types';
import { isDuplicateKey } from './mongoErrors';

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
  },
  { collection: 'people', versionKey: false, minimize: false },
);

/**
 * One document per chat identity or email (`slack:U1`, `teams:…`, `email:a@b`). Its _id is the
 * uniqueness guarantee: a unique index on an optional field would need sparse/partial indexes,
 * which FerretDB does not offer, and "missing" would collide with "missing".
 */
const identitySchema = new Schema(
  {
    _id: { type: String, required: true },
    personId: { type: String, required: true, index: true },
  },
  { collection: 'person_identities', versionKey: false },
);

const identityKeys = (p: Pick<Person, 'email' | 'slackUserId' | 'teamsAadObjectId'>): string[] => [
  ...(p.slackUserId ? [`slack:${p.slackUserId}`] : []),
  ...(p.teamsAadObjectId ? [`teams:${p.teamsAadObjectId}`] : []),
  ...(p.email ? [`email:${p.email.toLowerCase()}`] : []),
];

const toPerson = (d: any): Person => ({
  id: d._id,
  name: d.name,
  ...(d.email ? { email: d.email } : {}),
  ...(d.slackUserId ? { slackUserId: d.slackUserId } : {}),
  ...(d.teamsAadObjectId ? { teamsAadObjectId: d.teamsAadObjectId } : {}),
  roles: d.roles ?? [],
  createdAt: new Date(d.createdAt),
});

/** Absent optional fields are left out rather than stored as null. */
const toDoc = (p: Person): Record<string, unknown> => {
  const doc: Record<string, unknown> = { _id: p.id, name: p.name, roles: p.roles, createdAt: p.createdAt };
  if (p.email) Object.assign(doc, { email: p.email, emailLower: p.email.toLowerCase() });
  if (p.slackUserId) doc.slackUserId = p.slackUserId;
  if (p.teamsAadObjectId) doc.teamsAadObjectId = p.teamsAadObjectId;
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
  constructor(
    conn: Connection,
    private readonly displayMaxAgeMs = DISPLAY_LIST_MAX_AGE_MS,
  ) {
    this.model = conn.models.Person ?? conn.model('Person', personSchema);
    this.identities = conn.models.PersonIdentity ?? conn.model('PersonIdentity', identitySchema);
    if (!displayStates.has(this.model)) displayStates.set(this.model, { writes: 0 });
    this.shared = displayStates.get(this.model)!;
  }
  private readonly shared: DisplayState;

  /** Claims each identity key; on a collision releases what this call claimed and refuses. */
  private async claimIdentities(personId: string, keys: string[]): Promise<void> {
    const claimed: string[] = [];
    for (const key of keys) {
      try {
        await this.identities.create({ _id: key, personId });
        claimed.push(key);
      } catch (e) {
        if (isDuplicateKey(e)) {
          const owner = await this.identities.findById(key).lean<{ personId: string }>();
          if (owner?.personId === personId) continue; // already ours
          await this.identities.deleteMany({ _id: { $in: claimed } });
          const [kind, value] = [key.slice(0, key.indexOf(':')), key.slice(key.indexOf(':') + 1)];
          throw new ConflictError('person.duplicate', `Someone is already registered with ${kind} ${value}.`, { kind });
        }
        throw e;
      }
    }
  }

  async create(person: Person): Promise<Person> {
    try {
      return await this.insert(person);
    } finally {
      this.changed();
    }
  }

  private async insert(person: Person): Promise<Person> {
    if (await this.model.exists({ _id: person.id })) {
      throw new ConflictError('person.duplicate', `A person with id ${person.id} already exists.`);
    }
    const keys = identityKeys(person);
    await this.claimIdentities(person.id, keys);
    try {
      await this.model.create(toDoc(person));
    } catch (e) {
      await this.identities.deleteMany({ _id: { $in: keys }, personId: person.id });
      if (isDuplicateKey(e)) throw new ConflictError('person.duplicate', `A person with id ${person.id} already exists.`);
      throw e;
    }
    return person;
  }

  async findById(id: string): Promise<Person | null> {
    const d = await this.model.findById(id).lean();
    return d ? toPerson(d) : null;
  }

  private async byIdentity(key: string): Promise<Person | null> {
    const link = await this.identities.findById(key).lean<{ personId: string }>();
    return link ? this.findById(link.personId) : null;
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

  async findByRole(role: string): Promise<Person[]> {
    const docs = await this.model.find({ roles: role }).sort({ createdAt: 1, _id: 1 }).lean();
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

  async update(person: Person): Promise<Person> {
    try {
      return await this.replace(person);
    } finally {
      this.changed();
    }
  }

  private async replace(person: Person): Promise<Person> {
    const before = await this.findById(person.id);
    if (!before) throw new ConflictError('person.missing', `Person ${person.id} no longer exists.`);
    const oldKeys = identityKeys(before);
    const newKeys = identityKeys(person);
    await this.claimIdentities(person.id, newKeys.filter((k) => !oldKeys.includes(k)));
    await this.model.replaceOne({ _id: person.id }, toDoc(person));
    const dropped = oldKeys.filter((k) => !newKeys.includes(k));
    if (dropped.length) await this.identities.deleteMany({ _id: { $in: dropped }, personId: person.id });
    return person;
  }
}
