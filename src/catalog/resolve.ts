/**
 * Lookups over the shipped catalogue. Playbooks and reviews name framework items by their
 * official ids ("MEASURE 2.5", "Art. 9", "LLM01:2025", "A.6.2.6", Steward's "GAI 2.2" for
 * NIST AI 600-1 risks); these functions say whether an id is real and what it is called.
 */
import { catalogue } from './data';

export const FRAMEWORKS = ['nist_ai_rmf', 'eu_ai_act', 'owasp_llm', 'iso_42001', 'nist_ai_600_1'] as const;
export type FrameworkKind = (typeof FRAMEWORKS)[number];

export const FRAMEWORK_NAMES: Record<FrameworkKind, string> = {
  nist_ai_rmf: 'NIST AI RMF 1.0',
  eu_ai_act: 'EU AI Act (Regulation (EU) 2024/1689)',
  owasp_llm: 'OWASP Top 10 for LLM Applications 2025',
  iso_42001: 'ISO/IEC 42001:2023 Annex A',
  nist_ai_600_1: 'NIST AI 600-1 Generative AI Profile',
};

export interface ResolvedFrameworkId {
  framework: FrameworkKind;
  /** Canonical spelling, e.g. "Art. 50(2)" for "article 50 (2)". */
  id: string;
  title: string;
  /** The specific paragraph's summary when the id points below an article (e.g. Art. 5(1)(a)). */
  detail?: string;
}

type Entry = Omit<ResolvedFrameworkId, 'id'> & { id: string };

// Built once: canonical id -> entry. Keys are upper-cased for case-insensitive lookup.
const index = new Map<string, Entry>();
const put = (e: Entry) => index.set(e.id.toUpperCase(), e);

for (const s of catalogue.nistAiRmf.subcategories) put({ framework: 'nist_ai_rmf', id: s.id, title: s.text });
for (const c of catalogue.nistAiRmf.categories) put({ framework: 'nist_ai_rmf', id: c.id, title: c.text });
for (const o of catalogue.iso42001.objectives) {
  put({ framework: 'iso_42001', id: o.id, title: o.title });
  for (const s of o.subObjectives ?? []) put({ framework: 'iso_42001', id: s.id, title: s.title });
  for (const c of o.controls) put({ framework: 'iso_42001', id: c.id, title: c.title });
}
for (const i of catalogue.owaspLlm.items) put({ framework: 'owasp_llm', id: i.id, title: i.name });
for (const r of catalogue.nistGai.risks) put({ framework: 'nist_ai_600_1', id: r.id, title: r.name });
for (const a of catalogue.euAiAct.articles) put({ framework: 'eu_ai_act', id: a.id, title: a.title });
for (const a of catalogue.euAiAct.annexIII) put({ framework: 'eu_ai_act', id: a.id, title: a.area });

const euDetails = new Map<string, string>(
  [...catalogue.euAiAct.prohibitedPractices, ...catalogue.euAiAct.transparencyObligations].map((r) => [r.ref, r.summary]),
);

const ARTICLE = /^(?:ART\.?|ARTICLE)\s*(\d+)\s*((?:\(\s*[0-9A-Z]+\s*\)\s*)*)$/;
const ANNEX_III = /^ANNEX\s+III\s*(?:\(\s*(\d+)\s*\)|(\d+))\s*(?:\(\s*([A-Z])\s*\))?$/;

/** Whether the paragraph/point path (e.g. ['1', 'a']) exists in the article, as far as the catalogue knows it. */
function pathExists(article: string, path: string[]): boolean {
  if (!path.length) return true;
  const s = catalogue.euAiAct.structure[article];
  if (!s || typeof s === 'string') return false; // no known structure: only the bare article resolves
  const [para, point, ...rest] = path;
  const n = Number(para);
  if (!Number.isInteger(n) || n < 1 || n > s.paragraphs) return false;
  if (point === undefined) return true;
  // Sub-points below a letter (Art. 5(1)(h)(i)) are not catalogued: refuse rather than guess.
  return rest.length === 0 && (s.points?.[para!] ?? []).includes(point);
}

function resolveEu(upper: string): ResolvedFrameworkId | undefined {
  const annex = ANNEX_III.exec(upper);
  if (annex) {
    const point = annex[1] ?? annex[2]!;
    const area = index.get(`ANNEX III ${point}`);
    if (!area) return undefined;
    const letter = annex[3]?.toLowerCase();
    if (!letter) return area;
    if (!(catalogue.euAiAct.annexIIIPoints[point] ?? []).includes(letter)) return undefined;
    return { ...area, id: `Annex III ${point}(${letter})` };
  }
  const art = ARTICLE.exec(upper);
  if (!art) return undefined;
  const base = index.get(`ART. ${art[1]}`);
  if (!base) return undefined;
  const path = [...(art[2] ?? '').matchAll(/\(\s*([0-9A-Z]+)\s*\)/g)].map((m) => m[1]!.toLowerCase());
  if (!pathExists(art[1]!, path)) return undefined;
  const id = `${base.id}${path.map((p) => `(${p})`).join('')}`;
  const detail = euDetails.get(id);
  return { ...base, id, ...(detail ? { detail } : {}) };
}

/**
 * The catalogue entry an id names, or undefined when it names nothing we ship.
 * Case and spacing are forgiving; the returned `id` is the canonical spelling.
 */
export function resolveFrameworkId(raw: string, framework?: FrameworkKind): ResolvedFrameworkId | undefined {
  const upper = raw.trim().replace(/\s+/g, ' ').toUpperCase();
  if (!upper) return undefined;
  const hit = index.get(upper) ?? resolveEu(upper);
  if (!hit || (framework && hit.framework !== framework)) return undefined;
  return { ...hit };
}

/** The title of a framework item ("A.6.2.6" -> "AI system operation and monitoring"). */
export function frameworkTitle(id: string): string | undefined {
  return resolveFrameworkId(id)?.title;
}

/** True when the id names a catalogue item (optionally of the given framework). */
export function isKnownFrameworkId(id: string, framework?: FrameworkKind): boolean {
  return resolveFrameworkId(id, framework) !== undefined;
}
