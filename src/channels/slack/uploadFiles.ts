/**
 * Hands a reply's files (an evidence pack) to the person in Slack: uploaded with files.uploadV2
 * (files.getUploadURLExternal, the upload, files.completeUploadExternal) into the person's direct
 * messages with the bot, never the channel the command was typed in: a pack is the whole record.
 */
import type { WebClient } from '@slack/web-api';
import type { Logger } from 'pino';
import type { ReplyFile } from '../../conversation/handlers/types';

export async function uploadFiles(client: WebClient, userId: string, files: readonly ReplyFile[], logger: Pick<Logger, 'warn'>): Promise<boolean> {
  try {
    const dm = await client.conversations.open({ users: userId });
    const channel = dm.channel?.id;
    if (!channel) throw new Error('no direct message channel');
    await client.files.uploadV2({
      channel_id: channel,
      initial_comment: files.length > 1 ? `${files[0]!.title.replace(/ \(.*\)$/, '')}: PDF and Markdown.` : files[0]!.title,
      file_uploads: files.map((f) => ({ file: f.content, filename: f.filename, title: f.title })),
    });
    return true;
  } catch (e) {
    logger.warn({ err: e instanceof Error ? e.message : String(e) }, 'slack file upload failed');
    return false;
  }
}
