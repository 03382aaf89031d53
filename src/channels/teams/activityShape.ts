/**
 * What an activity must look like before botbuilder and Steward's handlers read it. Both read
 * fields unchecked (`activity.from.id`, `conversation.id`, `channelData.tenant`), so an
 * authenticated activity with one of them null, missing or of the wrong type failed inside the
 * turn: HTTP 500, or 501 for an invoke whose response was never set. Checked after the token
 * (./requestGate.ts) so an unauthenticated caller learns nothing about the shape; refused with
 * 400 in the project's error shape.
 */
import type { RequestHandler } from 'express';
import { z } from 'zod';
import type { ErrorBody } from '../../http/errors';

const id = z.string().min(1).max(1024);
const objectOf = <T extends z.ZodRawShape>(shape: T) => z.object(shape).loose();

export const activitySchema = objectOf({
  type: z.string().min(1).max(64),
  id: z.string().max(1024).optional(),
  channelId: z.string().max(64).optional(),
  serviceUrl: z.string().url(),
  from: objectOf({ id, name: z.string().max(1024).optional(), aadObjectId: z.string().max(128).optional() }),
  recipient: objectOf({ id, name: z.string().max(1024).optional() }),
  conversation: objectOf({
    id,
    conversationType: z.string().max(64).optional(),
    tenantId: z.string().max(128).optional(),
    isGroup: z.boolean().optional(),
  }),
  // Echoed into replies, where the connector client refuses anything but a string.
  locale: z.string().max(64).optional(),
  timestamp: z.string().max(64).optional(),
  localTimestamp: z.string().max(64).optional(),
  textFormat: z.string().max(64).optional(),
  text: z.string().optional(),
  name: z.string().max(256).optional(),
  replyToId: z.string().max(1024).optional(),
  channelData: objectOf({}).optional(),
  // botbuilder's removeRecipientMention reads every entity's type and each mention's mentioned.id.
  entities: z
    .array(objectOf({ type: z.string().max(256), mentioned: objectOf({ id }).optional() }))
    .refine((es) => es.every((e) => e.type !== 'mention' || e.mentioned !== undefined), 'a mention names who is mentioned')
    .optional(),
  attachments: z.array(objectOf({ contentType: z.string().optional() })).optional(),
  membersAdded: z.array(objectOf({ id })).optional(),
  membersRemoved: z.array(objectOf({ id })).optional(),
}).refine((a) => a.type !== 'invoke' || typeof a.name === 'string', { path: ['name'], message: 'an invoke names its operation' });

/** Express middleware: 400 with the first problem, else on to the turn. */
export const activityShape: RequestHandler = (req, res, next) => {
  const parsed = activitySchema.safeParse(req.body);
  if (parsed.success) return next();
  const issue = parsed.error.issues[0];
  const where = issue?.path.length ? `${issue.path.map(String).join('.')}: ` : '';
  const body: ErrorBody = { error: { code: 'teams.malformed_activity', message: `The activity is malformed: ${where}${issue?.message ?? 'invalid'}.` } };
  res.status(400).json(body);
};
