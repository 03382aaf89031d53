/**
 * What the Teams channel must remember to speak first (proactive messages) and to edit later:
 *   - conversation references (serviceUrl, conversation, bot, tenant), stored when the app is
 *     installed or a person first writes to the bot. Keyed `person:<personId>` for a person's
 *     personal chat and `conversation:<conversationId>` for channels and group chats.
 *   - the messages Steward posted (delivery key -> conversation reference + activity id), with the
 *     keys they are about (APR-3, INC-7) so every approver's copy of an approval can be updated
 *     with the decision, and later messages can reply in an incident's thread.
 * References are stored as plain JSON: the shape belongs to the Bot Framework, not to us.
 */
import { Schema, type Connection, type Model } from 'mongoose';
import { isDuplicateKey } from './mongoErrors';

/** A Bot Framework ConversationReference, kept opaque here. */
export type StoredReference = Record<string, unknown> & { conversation: { id: string } & Record<string, unknown>; serviceUrl: string };

export interface TeamsConversationRef {
  key: string;
  reference: StoredReference;
  at: Date;
}

export interface TeamsMessageRef {
  /** The OutboundMessage key (or another stable key the channel chose). */
  key: string;
  /** The conversation the activity lives in (for a thread reply: the thread's id). */
  reference: StoredReference;
  activityId: string;
  subjects: string[];
  at: Date;
}

export const personRefKey = (personId: string): string => `person:${personId}`;
export const conversationRefKey = (conversationId: string): string => `conversation:${conversationId}`;

const conversationSchema = new Schema(
  {
    _id: { type: String, required: true },
    reference: { type: Schema.Types.Mixed, required: true },
    at: { type: Date, required: true },
  },
  { collection: 'teams_conversations', versionKey: false, minimize: false },
);

const messageSchema = new Schema(
  {
    _id: { type: String, required: true },
    reference: { type: Schema.Types.Mixed, required: true },
    activityId: { type: String, required: true },
    subjects: { type: [String], default: [], index: true },
    at: { type: Date, required: true },
  },
  { collection: 'teams_messages', versionKey: false, minimize: false },
);

export class MongoTeamsRefRepository {
  readonly conversations: Model<any>;
  readonly messages: Model<any>;

  constructor(conn: Connection) {
    this.conversations = conn.models.TeamsConversation ?? conn.model('TeamsConversation', conversationSchema);
    this.messages = conn.models.TeamsMessage ?? conn.model('TeamsMessage', messageSchema);
  }

  /** Stores (or refreshes: serviceUrl can change) a conversation reference. */
  async saveConversation(key: string, reference: StoredReference, at: Date): Promise<void> {
    const save = () => this.conversations.replaceOne({ _id: key }, { _id: key, reference, at }, { upsert: true });
    try {
      await save();
    } catch (e) {
      // Two upserts of a new key at once: one inserts, the other gets E11000. The document
      // exists now, so the loser's replace (no insert this time) succeeds.
      if (!isDuplicateKey(e)) throw e;
      await save();
    }
  }

  async getConversation(key: string): Promise<TeamsConversationRef | null> {
    const d = await this.conversations.findById(key).lean<any>();
    return d ? { key: d._id, reference: d.reference, at: new Date(d.at) } : null;
  }

  /** Any stored reference (newest first): its serviceUrl and tenant let us open new chats. */
  async anyConversation(): Promise<TeamsConversationRef | null> {
    const d = await this.conversations.findOne().sort({ at: -1 }).lean<any>();
    return d ? { key: d._id, reference: d.reference, at: new Date(d.at) } : null;
  }

  /** Records a posted activity; the first record of a key wins (a delivery key is delivered once). */
  async saveMessage(ref: TeamsMessageRef): Promise<void> {
    try {
      await this.messages.create({ _id: ref.key, reference: ref.reference, activityId: ref.activityId, subjects: ref.subjects, at: ref.at });
    } catch (e) {
      if (!isDuplicateKey(e)) throw e;
    }
  }

  async getMessage(key: string): Promise<TeamsMessageRef | null> {
    const d = await this.messages.findById(key).lean<any>();
    return d ? toMessage(d) : null;
  }

  /** Every posted activity about a subject (each approver's copy of APR-3), oldest first. */
  async messagesAbout(subject: string): Promise<TeamsMessageRef[]> {
    const docs = await this.messages.find({ subjects: subject.toUpperCase() }).sort({ at: 1, _id: 1 }).lean<any[]>();
    return docs.map(toMessage);
  }
}

const toMessage = (d: any): TeamsMessageRef => ({ key: d._id, reference: d.reference, activityId: d.activityId, subjects: d.subjects ?? [], at: new Date(d.at) });
