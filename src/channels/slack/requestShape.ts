/**
 * What a signed Slack body must look like before Bolt may see it. Bolt reads fields without
 * checking them (`body.event.type`, `body.view.callback_id`, `body.user.team_id`), so a signed
 * but malformed body (`null`, `payload=null`, an event_callback whose event is null, a
 * view_submission without a view) threw inside it and became HTTP 500. These schemas follow
 * Bolt's own classification (helpers.getTypeAndConversation) and require exactly what it and
 * Steward's listeners read.
 */
import { z } from 'zod';

const id = z.string().min(1).max(255);
/** An object that is not null and not an array, whose listed fields are checked. */
const nullableRef = z.object({ id: z.string().optional() }).nullable().optional();

/** Fields Bolt reads with `in` / `.id` on the event: each must be an object (or string) when present. */
const eventSchema = z
  .object({ type: id })
  .loose()
  .superRefine((e, ctx) => {
    const record = e as Record<string, unknown>;
    const objectOrString = (k: string) => {
      if (!(k in record)) return;
      const v = record[k];
      if (typeof v === 'string' || (typeof v === 'object' && v !== null && !Array.isArray(v))) return;
      ctx.addIssue({ code: 'custom', path: [k], message: 'expected a string or an object' });
    };
    objectOrString('user');
    objectOrString('channel');
    for (const k of ['item', 'subteam']) {
      const v = record[k];
      if (k in record && (typeof v !== 'object' || v === null || Array.isArray(v))) ctx.addIssue({ code: 'custom', path: [k], message: 'expected an object' });
    }
  });

export const eventEnvelope = z.object({
  type: z.literal('event_callback'),
  event: eventSchema,
  team_id: z.string().optional(),
  enterprise_id: z.string().nullable().optional(),
  authorizations: z.array(z.object({ team_id: z.string().nullable().optional(), enterprise_id: z.string().nullable().optional() }).loose()).optional(),
});

export const urlVerification = z.object({ type: z.literal('url_verification'), challenge: z.string().min(1).max(1000) });

export const slashCommand = z.object({
  command: z.string().regex(/^\/\S{1,64}$/, 'expected a slash command such as /steward'),
  user_id: id,
  team_id: z.string().optional(),
  channel_id: z.string().optional(),
  text: z.string().optional(),
  response_url: z.string().url().optional(),
  trigger_id: z.string().optional(),
});

/** Common to every interactive payload: who, from which team. */
const interactive = {
  user: z.object({ id, team_id: z.string().optional() }).loose(),
  team: nullableRef,
  enterprise: nullableRef,
  channel: z.object({ id: z.string().optional() }).loose().optional(),
  response_url: z.string().url().optional(),
  trigger_id: z.string().optional(),
};

export const blockActions = z.object({
  type: z.string().min(1),
  ...interactive,
  actions: z.array(z.object({ action_id: z.string().min(1).max(255) }).loose()).min(1, 'expected at least one action'),
  view: z.object({ id: z.string().optional() }).loose().optional(),
});

export const viewPayload = z.object({
  type: z.enum(['view_submission', 'view_closed']),
  ...interactive,
  view: z
    .object({
      id: z.string().optional(),
      callback_id: z.string().max(255),
      app_installed_team_id: z.string().optional(),
      state: z.object({ values: z.record(z.string(), z.unknown()) }).optional(),
    })
    .loose(),
});

export const shortcutPayload = z.object({ type: z.enum(['shortcut', 'message_action']), callback_id: z.string().optional(), ...interactive });

export const optionsPayload = z.object({ type: z.string().min(1), ...interactive });

/** Bolt's classification of a body (getTypeAndConversation), decided in the same order. */
export type BoltKind = 'event' | 'command' | 'options' | 'action' | 'shortcut' | 'view' | 'url_verification' | 'ssl_check' | 'rate_limited' | 'unknown';

export function boltKind(body: Record<string, unknown>): BoltKind {
  if (body.type === 'url_verification') return 'url_verification';
  if (body.ssl_check !== undefined) return 'ssl_check';
  if (body.type === 'app_rate_limited') return 'rate_limited';
  if (body.event !== undefined || body.type === 'event_callback') return 'event';
  if (body.command !== undefined) return 'command';
  if (body.name !== undefined || body.type === 'block_suggestion') return 'options';
  if (body.actions !== undefined || body.type === 'dialog_submission' || body.type === 'block_actions') return 'action';
  if (body.type === 'shortcut' || body.type === 'message_action') return 'shortcut';
  if (body.type === 'view_submission' || body.type === 'view_closed') return 'view';
  return 'unknown';
}

/** The first problem, in words: `view: expected an object`. */
export function firstProblem(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return 'invalid';
  return `${issue.path.length ? `${issue.path.map(String).join('.')}: ` : ''}${issue.message}`;
}
