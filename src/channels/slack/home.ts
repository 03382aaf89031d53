/** Publishes the App Home (views.publish) for one Slack user; unknown users see how to register. */
import type { webApi } from '@slack/bolt';

type WebClient = webApi.WebClient;
import type { Person } from '../../domain/types';
import type { SlackDeps } from './deps';
import { UNKNOWN_USER_TEXT } from './interact';
import { joinCardBlocks, noticeBlocks, type SlackBlock } from './render';

/** Slack refuses a Home view of more than 100 blocks. */
const MAX_HOME_BLOCKS = 100;

export async function publishHome(deps: SlackDeps, client: WebClient, slackUserId: string, actor: Person | null): Promise<void> {
  let blocks: SlackBlock[];
  if (!actor) {
    blocks = noticeBlocks(UNKNOWN_USER_TEXT).blocks;
  } else {
    blocks = joinCardBlocks(deps.renderers, await deps.homeCards(actor));
  }
  await client.views.publish({ user_id: slackUserId, view: { type: 'home', blocks: blocks.slice(0, MAX_HOME_BLOCKS) as never } });
}
