/**
 * Where each Slack message Steward posted lives (channel + ts), by its delivery key. Needed
 * twice: a later message threads under an earlier one (an incident's timeline lives in the
 * thread of its first message), and a decided approval's messages are edited in place with
 * chat.update. `subjects` are the keys a message is about (APR-3, INC-7) so every copy of an
 * approval request (one per approver DM) can be found again.
 */
import { Schema, type Connection, type Model } from 'mongoose';
import { isDuplicateKey } from './mongoErrors';

export interface SlackMessageRef {
  /** The OutboundMessage key (or another stable key the channel chose). */
  key: string;
  channel: string;
  ts: string;
  subjects: string[];
  at: Date;
}

const slackMessageSchema = new Schema(
  {
    _id: { type: String, required: true },
    channel: { type: String, required: true },
    ts: { type: String, required: true },
    subjects: { type: [String], default: [], index: true },
    at: { type: Date, required: true },
  },
  { collection: 'slack_messages', versionKey: false },
);

const toRef = (d: any): SlackMessageRef => ({ key: d._id, channel: d.channel, ts: d.ts, subjects: d.subjects ?? [], at: new Date(d.at) });

export class MongoSlackMessageRepository {
  readonly model: Model<any>;
  constructor(conn: Connection) {
    this.model = conn.models.SlackMessage ?? conn.model('SlackMessage', slackMessageSchema);
  }

  /** Records a posted message; the first record of a key wins (a delivery key is delivered once). */
  async save(ref: SlackMessageRef): Promise<void> {
    try {
      await this.model.create({ _id: ref.key, channel: ref.channel, ts: ref.ts, subjects: ref.subjects, at: ref.at });
    } catch (e) {
      if (!isDuplicateKey(e)) throw e;
    }
  }

  async get(key: string): Promise<SlackMessageRef | null> {
    const d = await this.model.findById(key).lean();
    return d ? toRef(d) : null;
  }

  /** Every message about a subject (e.g. each approver's copy of APR-3), oldest first. */
  async listBySubject(subject: string): Promise<SlackMessageRef[]> {
    const docs = await this.model.find({ subjects: subject }).sort({ at: 1, _id: 1 }).lean();
    return docs.map(toRef);
  }
}
