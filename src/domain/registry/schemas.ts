/** Field schemas shared by registerModel and updateModel. */
import { z } from 'zod';
import { looksLikeSecret } from '../incidents/redact';
import { DATA_CLASSES } from '../types';

export const modelNameHandle = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9][a-z0-9._-]{1,62}$/, 'use 2-63 lower-case letters, digits, dots, dashes or underscores');

/**
 * The NAME of the environment variable that holds the key, never the key: the registry is
 * readable by many people and exported to auditors. The message never echoes the value.
 */
export const apiKeyEnvName = z
  .string()
  .trim()
  .refine((v) => !looksLikeSecret(v), {
    message: 'this looks like an API key itself; give the NAME of the environment variable that holds it (e.g. OPENAI_API_KEY)',
  })
  .refine((v) => /^[A-Z_][A-Z0-9_]*$/.test(v), {
    message: 'expected an environment variable name such as OPENAI_API_KEY (capitals, digits, underscores)',
  });

export const httpUrl = z
  .string()
  .trim()
  .refine((v) => {
    try {
      return ['http:', 'https:'].includes(new URL(v).protocol);
    } catch {
      return false;
    }
  }, 'expected an http(s) URL such as https://api.example.com/v1');

/** GPAI fields (Arts. 51-53); the link is optional (Art. 53(2) spares some open-licence models, never systemic-risk ones). */
export const gpaiInfo = z
  .object({
    provider: z.string().trim().min(1, 'gpai.provider: name the provider of the general-purpose AI model').max(120),
    systemicRisk: z.boolean({ error: 'gpai.systemicRisk: say whether it is a GPAI model with systemic risk (Art. 51)' }),
    art53DocsUrl: httpUrl.optional(),
  })
  .strict()
  .refine((g) => !g.systemicRisk || !!g.art53DocsUrl, {
    path: ['art53DocsUrl'],
    message: 'a GPAI model with systemic risk needs the link to its provider\'s Art. 53 documentation (the Art. 53(2) exemption does not apply)',
  });

export const dataClassList = z.array(z.enum(DATA_CLASSES));
export const price = z.number().nonnegative().max(1000);
