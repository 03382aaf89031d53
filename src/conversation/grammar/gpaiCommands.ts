/**
 * `model <name> gpai none`: records that the model is not (or no longer) treated as a GPAI
 * model; an approver's decision (updateModel), since it lifts the Art. 53(1)(b) check on the use
 * cases built on it.
 *
 * `model <name> gpai systemic|not-systemic <provider…> [<Art. 53 documentation link>]`: records
 * a registered model as a general-purpose AI model (EU AI Act Chapter V) with the fields the
 * registry keeps for it (src/domain/registry/schemas.ts gpaiInfo): its provider, whether it is a
 * GPAI model with systemic risk (Art. 51), and where the provider's Art. 53 documentation for
 * downstream providers is. The domain (updateModel) decides who may and whether the link is
 * required. Name, zod schema and parser, joined into the one command union in schema.ts.
 */
import { z } from 'zod';
import { failure, join, type Step } from './steps';

export const GPAI_COMMAND_NAMES = ['model_gpai', 'model_gpai_clear'] as const;

const CLEAR_WORDS = new Set(['none', 'clear', 'remove']);

const SYSTEMIC: Record<string, boolean> = { systemic: true, 'systemic-risk': true, 'not-systemic': false, 'no-systemic-risk': false, nonsystemic: false };
const USAGE_HINT = 'Say "model <name> gpai systemic|not-systemic <provider> [<Art. 53 documentation link>]", or "model <name> gpai none".';

const modelName = z.string({ error: 'expected a model name' }).min(1, 'expected a model name').max(100, 'model name is too long');

export const gpaiSchemas = [
  z.object({ ok: z.literal(true), name: z.literal('model_gpai_clear'), modelName }).strict(),
  z.object({
    ok: z.literal(true),
    name: z.literal('model_gpai'),
    modelName,
    systemicRisk: z.boolean({ error: 'expected systemic or not-systemic (Art. 51)' }),
    provider: z.string({ error: 'expected the provider of the general-purpose AI model' }).trim().min(1, 'expected the provider of the general-purpose AI model').max(120, 'expected a provider name of at most 120 characters'),
    art53DocsUrl: z.url({ protocol: /^https?$/, error: 'expected an http(s) link to the provider\'s Art. 53 documentation' }).optional(),
  }).refine((c) => !c.systemicRisk || !!c.art53DocsUrl, {
    path: ['art53DocsUrl'],
    // The same rule as the registry's (gpaiInfo), said here in the command's words.
    message: 'expected the link to the provider\'s Art. 53 documentation at the end: a GPAI model with systemic risk needs it (the Art. 53(2) exemption does not apply)',
  }),
] as const;

/** Words of `model <name> gpai …` (words[2] is "gpai"). */
export function parseGpaiCommand(words: string[]): Step {
  const modelName = words[1]?.toLowerCase();
  const word = words[3]?.toLowerCase();
  if (word && CLEAR_WORDS.has(word)) {
    return words.length > 4 ? failure(`Nothing goes after "${words[3]}". ${USAGE_HINT}`, 'model_gpai_clear') : { name: 'model_gpai_clear', modelName };
  }
  if (!word || !Object.hasOwn(SYSTEMIC, word)) return failure(`${word ? `"${words[3]}" is not systemic or not-systemic. ` : ''}${USAGE_HINT}`, 'model_gpai');
  // A link at the end is the documentation (Slack sends it as <https://x> or <https://x|label>);
  // everything before it names the provider.
  const rest = join(words, 4);
  const m = /(?:^|\s)<?(https?:\/\/[^|>\s]+)(?:\|[^>]*)?>?$/i.exec(rest);
  const provider = m ? rest.slice(0, m.index).trim() : rest;
  const link = m?.[1];
  return { name: 'model_gpai', modelName, systemicRisk: SYSTEMIC[word], provider, ...(link ? { art53DocsUrl: link } : {}) };
}
