/**
 * Which Slack installation reaches a user or a channel, learned as Steward meets them (a
 * request from the user, a message it posted in the channel). With OAuth installs each
 * workspace has its own token, and a proactive message (a reminder, an approval request) must
 * be sent with the token of the recipient's workspace. A route never changes (a user id or a
 * channel id lives in one workspace or organisation), so it is written once: a unique insert,
 * a duplicate ignored.
 */
import { Schema, type Connection, type Model } from 'mongoose';
import { isDuplicateKey } from './mongoErrors';

const schema = new Schema(
  {
    /** `user:U…` or `channel:C…`. */
    _id: { type: String, required: true },
    /** The installation key (`team:T…` or `enterprise:E…`). */
    installation: { type: String, required: true },
    at: { type: Date, required: true },
  },
  { collection: 'slack_routes', versionKey: false },
);

export class MongoSlackRouteRepository {
  readonly model: Model<any>;
  constructor(conn: Connection) {
    this.model = conn.models.SlackRoute ?? conn.model('SlackRoute', schema);
  }

  async remember(id: string, installation: string): Promise<void> {
    try {
      await this.model.create({ _id: id, installation, at: new Date() });
    } catch (e) {
      if (!isDuplicateKey(e)) throw e;
    }
  }

  async installationOf(id: string): Promise<string | null> {
    const d = await this.model.findById(id).lean<{ installation: string }>();
    return d?.installation ?? null;
  }
}
