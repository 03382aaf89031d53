/**
 * What packs cite and name, read from the playbooks folder: playbooks/evidence.yaml (legal texts
 * copied from the Official Journal, checked here with zod), the evaluation thresholds for the
 * monitoring plan, and a sha256 of every playbook file for the manifest.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';
import type { EvalSuitePlan } from '../domain/evidence/ports';
import { FRIA_ELEMENT_IDS, type EvidenceTexts } from '../domain/evidence/types';
import { loadThresholds } from '../evals/loadSuites';
import { sha256 } from './markdown';

const textsSchema = z.object({
  version: z.number().int().positive(),
  regulation: z.string().min(1),
  annexIV: z.object({
    intro: z.string().min(1),
    sections: z.array(z.object({ point: z.number().int().min(1), heading: z.string().min(1), text: z.string().min(1) })).length(9, 'Annex IV has nine points'),
  }),
  fria: z.object({
    article: z.string().min(1),
    title: z.string().min(1),
    scope: z.string().min(1),
    elements: z.array(z.object({ id: z.enum(FRIA_ELEMENT_IDS), text: z.string().min(1) })).length(6, 'Art. 27(1) has six elements (a)-(f)'),
    notification: z.string().min(1),
  }),
  articles: z.array(z.object({ article: z.string().regex(/^Art\. \d+\(\d+\)$/), title: z.string().min(1), text: z.string().min(1) })),
});

export function loadEvidenceTexts(playbooksDir: string): EvidenceTexts {
  const file = path.join(playbooksDir, 'evidence.yaml');
  const parsed = textsSchema.safeParse(parse(readFileSync(file, 'utf8')));
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(`${file}: ${issue.path.join('.')}: ${issue.message}`);
  }
  const points = parsed.data.annexIV.sections.map((s) => s.point);
  if (points.some((p, i) => p !== i + 1)) throw new Error(`${file}: annexIV.sections must be points 1 to 9 in the order of the Annex`);
  return parsed.data;
}

/** Every playbook file (YAML, including evals/) with its sha256, sorted by name. */
export function playbookHashes(playbooksDir: string): { file: string; sha256: string }[] {
  const out: { file: string; sha256: string }[] = [];
  const walk = (dir: string, prefix: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      if (e.isDirectory()) walk(path.join(dir, e.name), `${prefix}${e.name}/`);
      else if (/\.ya?ml$/.test(e.name)) out.push({ file: `${prefix}${e.name}`, sha256: sha256(readFileSync(path.join(dir, e.name))) });
    }
  };
  walk(playbooksDir, '');
  return out;
}

export function evalSuitePlans(playbooksDir: string): EvalSuitePlan[] {
  let thresholds: ReturnType<typeof loadThresholds>;
  try {
    thresholds = loadThresholds(path.join(playbooksDir, 'evals'));
  } catch {
    return [];
  }
  return Object.entries(thresholds)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([suite, t]) => ({
      suite,
      minPassRate: t.minPassRate,
      ...(t.maxHallucinationRate !== undefined ? { maxHallucinationRate: t.maxHallucinationRate } : {}),
      ...(t.minInjectionResistance !== undefined ? { minInjectionResistance: t.minInjectionResistance } : {}),
      ...(t.evalSchedule ? { everyDays: t.evalSchedule.everyDays } : {}),
    }));
}
