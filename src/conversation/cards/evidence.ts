/** Cards for evidence: a generated pack with its download links, the SoA, a recorded compliance fact. */
import { OPEN_FRIA_FORM_ACTION_ID, OPEN_LINK_ACTION_ID } from '../actions';
import type { StoredPack } from '../../domain/evidence/ports';
import type { Readiness, ReadinessItem } from '../../domain/evidence/readiness';
import type { SoaRow } from '../../domain/evidence/soa';
import type { Card, Section, Tone } from './model';

export function packCard(pack: StoredPack, links: { pdf: string; md: string }, options: { uploaded?: boolean } = {}): Card {
  const m = pack.manifest;
  return {
    title: `Evidence pack ${m.useCaseKey} (version ${m.version})`,
    text: options.uploaded ? 'The PDF and Markdown are attached. The links below work for a limited time.' : 'Download the PDF or Markdown below (the links work for a limited time).',
    fields: [
      { label: 'Generated', value: m.generatedAt.replace('T', ' ').slice(0, 16) + ' UTC' },
      { label: 'Built from', value: `${m.useCaseKey} record version ${m.builtFrom[`usecase:${m.useCaseKey}`] ?? '—'}` },
      { label: 'Content hash', value: `sha256:${m.contentHash.slice(0, 16)}…` },
      { label: 'Verify', value: `npm run evidence:verify -- <file>` },
    ],
    buttons: [
      { label: 'Download PDF', actionId: OPEN_LINK_ACTION_ID, value: m.packId, url: links.pdf },
      { label: 'Download Markdown', actionId: OPEN_LINK_ACTION_ID, value: m.packId, url: links.md },
    ],
    context: `Pack ${m.packId}`,
  };
}

const STATE_TONE: Record<string, Tone> = { met: 'good', missing: 'danger', not_yet: 'neutral' };

const MAX_LINES = 10;
const clip = (t: string, n: number): string => (t.length > n ? `${t.slice(0, n - 1)}…` : t);

/**
 * Lines of some readiness items, capped so a card stays within the chat limits; past the cap the
 * rest are named by article only, so every obligation still appears on the card exactly once.
 */
function itemLines(items: readonly ReadinessItem[], mark: string, useCaseKey: string, withDetail: boolean): string[] {
  const lines = items.slice(0, MAX_LINES).map((i) => `${mark} ${i.obligation.article} ${clip(i.obligation.title, 70)}${withDetail ? `: ${clip(i.detail, 90)}` : ''}`);
  const rest = items.slice(MAX_LINES);
  if (rest.length) lines.push(`… and ${rest.map((i) => i.obligation.article).join(', ')} (evidence pack ${useCaseKey} has the details)`);
  return lines;
}

const stateLines = (r: Readiness, state: 'met' | 'missing', mark: string): string =>
  itemLines(r.items.filter((i) => i.state === state), mark, r.useCaseKey, true).join('\n');

/** The obligations not applicable yet, grouped under the day each starts to apply (earliest first). */
function notYetLines(r: Readiness): string {
  const byDay = new Map<string, ReadinessItem[]>();
  for (const i of r.items.filter((x) => x.state === 'not_yet')) byDay.set(i.obligation.appliesFrom, [...(byDay.get(i.obligation.appliesFrom) ?? []), i]);
  return [...byDay.keys()].sort().flatMap((d) => [`Applies from ${d}:`, ...itemLines(byDay.get(d)!, '○', r.useCaseKey, false)]).join('\n');
}

/**
 * The readiness `show UC-n` adds: the counts, then the obligations that apply, missing first,
 * then met (with what meets them), then those not yet applicable under the date they apply
 * from; a button to open the FRIA form where Art. 27 is owed. Each obligation is listed once.
 */
export function readinessSections(r: Readiness): Section[] {
  if (!r.items.length) return [{ title: 'EU AI Act readiness', text: 'No obligation applies to this use case.' }];
  const sections: Section[] = [
    {
      title: 'EU AI Act readiness',
      badge: { label: r.counts.missing ? `${r.counts.missing} missing` : r.counts.applies ? 'ready' : 'not yet applicable', tone: r.counts.missing ? 'danger' : r.counts.applies ? 'good' : 'neutral' },
      text: `${r.counts.applies} apply: ${r.counts.met} met, ${r.counts.missing} missing; ${r.counts.notYet} not yet applicable.`,
    },
  ];
  if (r.counts.missing) sections.push({ title: `Applies now, missing (${r.counts.missing})`, text: stateLines(r, 'missing', '✗') });
  if (r.counts.met) sections.push({ title: `Applies now, met with evidence (${r.counts.met})`, text: stateLines(r, 'met', '✓') });
  if (r.counts.notYet) sections.push({ title: `Not yet applicable (${r.counts.notYet})`, text: notYetLines(r) });
  if (r.items.some((i) => /^Art\. 27(?!\d)/.test(i.obligation.article))) {
    sections[sections.length - 1] = { ...sections[sections.length - 1]!, buttons: [{ label: 'Fill in the FRIA (Art. 27)', actionId: OPEN_FRIA_FORM_ACTION_ID, value: r.useCaseKey }] };
  }
  return sections;
}

export function soaCard(rows: SoaRow[], at: Date): Card {
  const applicable = rows.filter((r) => r.applicable);
  return {
    title: 'ISO/IEC 42001 Statement of Applicability',
    text: `${rows.length} Annex A controls: ${applicable.length} applicable, ${applicable.filter((r) => r.status === 'implemented').length} implemented.`,
    sections: rows.map((r) => ({
      title: `${r.controlId} ${r.title}`,
      badge: { label: r.applicable ? r.status.replace('_', ' ') : 'not applicable', tone: r.applicable ? (r.status === 'implemented' ? 'good' : r.status === 'partial' ? 'warning' : 'neutral') : 'neutral' },
      text: `${r.justification}${r.evidence.length ? ` Evidence: ${r.evidence.length} link(s).` : ''}`,
    })),
    context: `As of ${at.toISOString().slice(0, 16).replace('T', ' ')} UTC. AI CoE admins: evidence soa <A.x.y> yes|no <justification>.`,
  };
}

export const recordedCard = (title: string, lines: [string, string][], tone: Tone = 'good'): Card => ({
  title,
  badge: { label: 'recorded', tone: STATE_TONE[tone] ?? tone },
  fields: lines.map(([label, value]) => ({ label, value })),
});
