/**
 * Teams payloads -> the conversation's Interaction. Buttons and form submits arrive as
 * Universal Actions (invoke `adaptiveCard/action`, value.action = { verb, data }); older
 * clients and Action.Submit cards send a message activity whose `value` carries the same data.
 * The Adaptive Card renderer puts `{ value }` in a button's data and a form's hidden values in
 * its submit's data; Teams merges the inputs (by input id) into the same object.
 */
import { z } from 'zod';
import { FORM_IDS } from '../../conversation/actions';
import type { Interaction } from '../../conversation/handlers/types';

/** Hidden values our forms carry (see cards/forms): everything else in the data is an input. */
export const HIDDEN_KEYS = ['approvalKey', 'useCaseKey'] as const;

const dataSchema = z.record(z.string(), z.unknown());

export const invokeValueSchema = z.object({
  action: z.object({
    type: z.string().optional(),
    verb: z.string().min(1).max(255),
    data: dataSchema.optional().default({}),
  }),
  trigger: z.string().optional(),
});

/** Action.Submit data: the verb travels inside the data (or in a nested `action`). */
const submitValueSchema = z.union([
  z.object({ action: z.object({ verb: z.string().min(1).max(255), data: dataSchema.optional().default({}) }) }).transform((v) => ({ verb: v.action.verb, data: v.action.data })),
  dataSchema.and(z.object({ verb: z.string().min(1).max(255) })).transform(({ verb, ...data }) => ({ verb, data })),
]);

export function interactionFrom(verb: string, data: Record<string, unknown>): Interaction {
  if ((FORM_IDS as readonly string[]).includes(verb)) {
    const hidden: Record<string, string> = {};
    const values: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(data)) {
      if (k === 'verb' || k === 'msteams') continue;
      if ((HIDDEN_KEYS as readonly string[]).includes(k) && typeof v === 'string') hidden[k] = v;
      else if (v !== '' && v !== undefined && v !== null) values[k] = v;
    }
    return { kind: 'form', formId: verb, values, hidden };
  }
  const value = typeof data.value === 'string' ? data.value : '';
  return { kind: 'action', actionId: verb, value };
}

/** The interaction of an `adaptiveCard/action` invoke, or an error message naming what was wrong. */
export function parseInvoke(value: unknown): { ok: true; interaction: Interaction } | { ok: false; message: string } {
  const parsed = invokeValueSchema.safeParse(value);
  if (!parsed.success) return { ok: false, message: 'This card action is missing its verb; refresh the card and try again.' };
  return { ok: true, interaction: interactionFrom(parsed.data.action.verb, parsed.data.action.data) };
}

/** A legacy Action.Submit message (activity.value), or null when the message is plain text. */
export function parseSubmit(value: unknown): Interaction | null {
  if (!value || typeof value !== 'object') return null;
  const parsed = submitValueSchema.safeParse(value);
  return parsed.success ? interactionFrom(parsed.data.verb, parsed.data.data) : null;
}

const AT_MENTION = /<at>[^<]*<\/at>/gi;

/** The command text of a message: mentions of the bot removed, tags and spacing tidied. */
export function commandText(textWithoutRecipientMention: string): string {
  return textWithoutRecipientMention
    .replace(AT_MENTION, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&nbsp;/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ')
    .trim();
}
