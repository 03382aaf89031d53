/** What the Teams bot, its handlers and its notifier share, built once by createTeamsChannel. */
import type { CloudAdapter } from 'botbuilder';
import type { Logger } from 'pino';
import type { Conversation } from '../../conversation/handlers/types';
import type { DomainContext } from '../../domain/ports';
import type { MongoTeamsRefRepository } from '../../store/teamsRefs.repo';
import type { ConversationRateLimiter } from './rateLimit';
import type { CardRenderer } from './render';

export interface TeamsDeps {
  ctx: DomainContext;
  conversation: Conversation;
  adapter: CloudAdapter;
  /** The bot's Microsoft App id; '' in anonymous local mode (no tokens on either side). */
  appId: string;
  refs: MongoTeamsRefRepository;
  limiter: ConversationRateLimiter;
  render: CardRenderer;
  logger: Logger;
}
