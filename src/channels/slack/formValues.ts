/**
 * Reads a submitted modal back into the Interaction's two halves: the inputs (by input id,
 * via the modal renderer's own reader, so the round trip has one definition) and the hidden
 * values the renderer put in private_metadata.
 */
import { z } from 'zod';
import { slackViewValues } from '../../conversation/render/slackModal';

const optionSchema = z.object({ value: z.string() });
const elementStateSchema = z
  .object({
    type: z.string().optional(),
    value: z.string().nullable().optional(),
    selected_option: optionSchema.nullable().optional(),
    selected_options: z.array(optionSchema).optional(),
    selected_date: z.string().nullable().optional(),
  })
  .passthrough();

export const viewStateSchema = z.record(z.string(), z.record(z.string(), elementStateSchema));

/** `{ title: 'x', dataClasses: ['personal'] }`; inputs left empty are left out. */
export function formValuesFromState(values: z.infer<typeof viewStateSchema>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(slackViewValues(values)).filter(([, v]) => v !== undefined && v !== ''));
}

/** Hidden values: private_metadata holds them as a JSON object of strings (cardToSlackModal). */
export function hiddenFromMetadata(metadata: string | undefined): Record<string, string> {
  if (!metadata) return {};
  try {
    const parsed = z.record(z.string(), z.unknown()).safeParse(JSON.parse(metadata));
    if (!parsed.success) return {};
    return Object.fromEntries(Object.entries(parsed.data).filter((e): e is [string, string] => typeof e[1] === 'string'));
  } catch {
    return {};
  }
}

/**
 * Slack's `response_action: "errors"` may only name input blocks of the submitted view; any
 * other block id makes Slack refuse the answer and show its own generic failure. An error about
 * something that is not an input (a hidden value, or the whole form: `_form`) is shown on the
 * first input instead. Null when the view has no input to carry the message.
 */
export function slackFormErrors(formErrors: Record<string, string>, inputBlockIds: string[], blockIdOf: (inputId: string) => string): Record<string, string> | null {
  const first = inputBlockIds[0];
  const out: Record<string, string> = {};
  for (const [inputId, message] of Object.entries(formErrors)) {
    const blockId = blockIdOf(inputId);
    const target = inputBlockIds.includes(blockId) ? blockId : first;
    if (!target) return null;
    out[target] = out[target] ? `${out[target]} ${message}` : message;
  }
  return out;
}
