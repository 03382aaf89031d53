/** What every Slack listener needs, built once by createSlackChannel. */
import type { Logger } from 'pino';
import type { Card } from '../../conversation/cards/model';
import type { Conversation } from '../../conversation/handlers/types';
import type { DomainContext } from '../../domain/ports';
import type { Person } from '../../domain/types';
import type { MongoSlackMessageRepository } from '../../store/slackMessages.repo';
import type { SlackActorCache } from './identity';
import type { SlackRenderers } from './render';

export interface SlackDeps {
  ctx: DomainContext;
  conversation: Conversation;
  renderers: SlackRenderers;
  /** Where posted messages are remembered (threads, chat.update after a decision). */
  messages: MongoSlackMessageRepository;
  /** The App Home for a person, as neutral cards. */
  homeCards(actor: Person): Promise<Card[]>;
  logger: Logger;
  /** Known Slack users (id mapping only; roles are re-read by every operation). */
  actors: SlackActorCache;
}
