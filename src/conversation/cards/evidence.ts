/** Cards for evidence: a generated pack with its download links, the SoA, a recorded compliance fact. */
import { OPEN_LINK_ACTION_ID } from '../actions';
import type { StoredPack } from '../../domain/evidence/ports';
import type { Readiness } from '../../domain/evidence/readiness';
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

/** The readiness lines `show UC-n` adds: counts, then each missing obligation. */
export function readinessSections(r: Readiness): Section[] {
  if (!r.items.length) return [{ title: 'EU AI Act readiness', text: 'No obligation applies to this use case.' }];
  return [
    {
      title: 'EU AI Act readiness',
      badge: { label: r.counts.missing ? `${r.counts.missing} missing` : 'ready', tone: r.counts.missing ? 'danger' : 'good' },
      text: `${r.counts.applies} apply: ${r.counts.met} met, ${r.counts.missing} missing; ${r.counts.notYet} not yet applicable.`,
      fields: r.items.filter((i) => i.state !== 'met').slice(0, 8).map((i) => ({ label: `${i.obligation.article} ${i.obligation.title}`, value: `${i.state === 'not_yet' ? 'not yet' : 'missing'}: ${i.detail}` })),
    },
  ];
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
