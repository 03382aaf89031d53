/**
 * Slack installations (OAuth installs), one stream per workspace or Enterprise Grid
 * organisation. A reinstall (new scopes, a rotated token) or an uninstall is never an update:
 * it is the insert of the key's next version, `_id` = `<key>#<version>`, so two processes
 * storing at once cannot lose one another's write (the unique _id decides; the loser re-reads
 * and goes one higher), the same primitive as the records' history. The latest version wins;
 * a `removed` version hides the installation.
 *
 * The payload is opaque here (sealed by the channel's token cipher); only the ids that route a
 * request are in clear.
 */
import { Schema, type Connection, type Model } from 'mongoose';
import { isDuplicateKey } from './mongoErrors';

export interface StoredInstallation {
  /** `team:T…` or `enterprise:E…` (an org-wide install). */
  key: string;
  version: number;
  teamId?: string;
  enterpriseId?: string;
  /** Sealed JSON of the whole installation; absent on a removal. */
  sealed?: string;
  removed: boolean;
  /** Why a removal was stored: `app_uninstalled`, `tokens_revoked`, or absent (deleteInstallation). */
  reason?: string;
  /** The Slack event (event_id) that caused this version, so a retried event is recognised. */
  eventId?: string;
  at: Date;
}

const schema = new Schema(
  {
    _id: { type: String, required: true },
    key: { type: String, required: true, index: true },
    version: { type: Number, required: true },
    teamId: { type: String },
    enterpriseId: { type: String },
    sealed: { type: String },
    removed: { type: Boolean, required: true },
    reason: { type: String },
    eventId: { type: String },
    at: { type: Date, required: true },
  },
  { collection: 'slack_installations', versionKey: false },
);

const toStored = (d: any): StoredInstallation => ({
  key: d.key,
  version: d.version,
  ...(d.teamId ? { teamId: d.teamId } : {}),
  ...(d.enterpriseId ? { enterpriseId: d.enterpriseId } : {}),
  ...(d.sealed ? { sealed: d.sealed } : {}),
  removed: d.removed,
  ...(d.reason ? { reason: d.reason } : {}),
  ...(d.eventId ? { eventId: d.eventId } : {}),
  at: new Date(d.at),
});

export class MongoSlackInstallationRepository {
  readonly model: Model<any>;
  constructor(conn: Connection) {
    this.model = conn.models.SlackInstallation ?? conn.model('SlackInstallation', schema);
  }

  async latest(key: string): Promise<StoredInstallation | null> {
    const d = await this.model.findOne({ key }).sort({ version: -1 }).lean();
    return d ? toStored(d) : null;
  }

  /** Appends the key's next version; retries when another writer took that version first. */
  async append(entry: Omit<StoredInstallation, 'version'>, attempts = 5): Promise<StoredInstallation> {
    for (let i = 0; i < attempts; i++) {
      const version = ((await this.latest(entry.key))?.version ?? 0) + 1;
      const doc = { ...entry, version };
      try {
        await this.model.create({ _id: `${entry.key}#${version}`, ...doc });
        return doc;
      } catch (e) {
        if (!isDuplicateKey(e)) throw e;
      }
    }
    throw new Error(`slack installation ${entry.key}: ${attempts} concurrent writers in a row; try again`);
  }

  /**
   * Inserts exactly version `version` of the key, or nothing when another writer took it first
   * (false): a change decided on the version read (a revocation) is stored once or not at all.
   */
  async appendAt(entry: Omit<StoredInstallation, 'version'>, version: number): Promise<boolean> {
    try {
      await this.model.create({ _id: `${entry.key}#${version}`, ...entry, version });
      return true;
    } catch (e) {
      if (isDuplicateKey(e)) return false;
      throw e;
    }
  }

  /** The latest version of every key that is installed now. */
  async installed(): Promise<StoredInstallation[]> {
    const docs = await this.model.find({}).sort({ key: 1, version: -1 }).lean();
    const seen = new Set<string>();
    const out: StoredInstallation[] = [];
    for (const d of docs.map(toStored)) {
      if (seen.has(d.key)) continue;
      seen.add(d.key);
      if (!d.removed) out.push(d);
    }
    return out;
  }
}
