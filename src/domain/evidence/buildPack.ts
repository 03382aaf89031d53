/**
 * The evidence pack of one use case as a neutral document, from a PackSource read off the live
 * record. Pure and deterministic: the same source, texts and time give the same document (the
 * golden-file tests rely on it). Nothing legal is decided here: whether an article applies comes
 * from the obligations (issue 13's legal model); the texts from playbooks/evidence.yaml.
 */
import type { Policy } from '../policy';
import { annexIVSections, changeHistoryBlocks } from './annexIV';
import type { PackSource } from './collectSource';
import type { EvalSuitePlan } from './ports';
import { accountable, day, evidenceFor, gap, personName } from './packParts';
import { owes, readinessOf } from './readiness';
import type { Block, DocSection, EvidenceDocument, EvidenceTexts } from './types';

export interface PackContext {
  policy: Policy;
  texts: EvidenceTexts;
  evalSuites: EvalSuitePlan[];
  now: Date;
}

const quoteOf = (pc: PackContext, article: string): Block[] =>
  pc.texts.articles.filter((a) => a.article === article).map((a) => ({ kind: 'quote', text: a.text, cite: `${pc.texts.regulation}, ${a.article}` }));

const NOT_DETERMINED = 'The legal model (obligations) is not available in this installation, so whether this article applies was not determined.';

function summary(src: PackSource, pc: PackContext): DocSection {
  const uc = src.useCase;
  const r = src.obligations ? readinessOf(uc, src.obligations, src.compliance) : null;
  return {
    id: 'summary',
    heading: 'Summary',
    blocks: [
      {
        kind: 'fields',
        rows: [
          ['Use case', `${uc.key} ${uc.title}`],
          ['Intended purpose', uc.description],
          ['Risk tier', uc.tier],
          ['Why', uc.tierReasons.join('; ') || '—'],
          ['Stage', pc.policy.lifecycle.stages.find((s) => s.id === uc.stage)?.name ?? uc.stage],
          ['Owner', personName(src, uc.ownerId)],
          ['Obligations', r ? `${r.counts.applies} apply: ${r.counts.met} met, ${r.counts.missing} missing; ${r.counts.notYet} not yet applicable` : 'not determined'],
        ],
      },
    ],
  };
}

function friaSection(src: PackSource, pc: PackContext): DocSection {
  const t = pc.texts.fria;
  const head = { id: 'fria', heading: `Fundamental rights impact assessment (${t.article})` };
  if (!src.obligations) return { ...head, blocks: [{ kind: 'paragraph', text: NOT_DETERMINED }] };
  const o = owes(src.obligations, 'Art. 27');
  if (!o) return { ...head, blocks: [{ kind: 'paragraph', text: `Not required for this use case: no ${t.article} obligation applies to it.` }, { kind: 'quote', text: t.scope, cite: pc.texts.regulation }] };
  const owner = accountable(src, 'safety_compliance');
  const fria = src.compliance?.fria;
  const blocks: Block[] = [{ kind: 'paragraph', text: `Required: ${o.reason}${o.state === 'not_yet_applicable' ? ` (applies from ${o.appliesFrom})` : ''}` }];
  for (const el of t.elements) {
    blocks.push({ kind: 'quote', text: `(${el.id}) ${el.text}`, cite: `${pc.texts.regulation}, ${t.article}(1)(${el.id})` });
    const v = fria?.elements[el.id];
    blocks.push(v ? { kind: 'paragraph', text: v } : gap(`${t.article}(1)(${el.id})`, owner));
  }
  blocks.push({ kind: 'quote', text: t.notification, cite: pc.texts.regulation });
  blocks.push(
    fria
      ? { kind: 'fields', rows: [['Assessed by', personName(src, fria.by)], ['Assessed on', day(fria.at)], ['Notified to the market surveillance authority', fria.notifiedAt ? `${day(fria.notifiedAt)}${fria.notificationRef ? ` (${fria.notificationRef})` : ''}` : 'not yet']] }
      : gap('the Art. 27(3) notification to the market surveillance authority', owner),
  );
  return { ...head, blocks };
}

function registrationSection(src: PackSource, pc: PackContext): DocSection {
  const head = { id: 'registration', heading: 'EU database registration (Arts. 49, 71)' };
  if (!src.obligations) return { ...head, blocks: [{ kind: 'paragraph', text: NOT_DETERMINED }] };
  const o = owes(src.obligations, 'Art. 49');
  if (!o) return { ...head, blocks: [{ kind: 'paragraph', text: 'Not required: no Art. 49 obligation applies to this use case.' }] };
  const reg = src.compliance?.registration;
  return {
    ...head,
    blocks: [
      { kind: 'paragraph', text: `Required (${o.article}): ${o.reason}` },
      ...quoteOf(pc, /^Art\. \d+\(\d+\)/.exec(o.article)?.[0] ?? o.article),
      ...quoteOf(pc, 'Art. 71(1)'),
      reg
        ? { kind: 'fields', rows: [['Registration id', reg.registrationId], ['Registered on', reg.registeredOn], ['Recorded by', personName(src, reg.by)]] }
        : gap('the EU database registration id and date', accountable(src, 'safety_compliance')),
    ],
  };
}

function conformitySection(src: PackSource, pc: PackContext): DocSection | null {
  if (!src.obligations) return null;
  const owed = ['Art. 43', 'Art. 47', 'Art. 48'].map((p) => owes(src.obligations!, p)).filter((o) => o !== undefined);
  if (!owed.length) return null;
  const c = src.compliance?.conformity;
  const owner = accountable(src, 'safety_compliance');
  return {
    id: 'conformity',
    heading: 'Conformity assessment, EU declaration of conformity and CE marking (Arts. 43, 47, 48)',
    blocks: [
      ...quoteOf(pc, 'Art. 43(2)'),
      ...quoteOf(pc, 'Art. 47(1)'),
      ...quoteOf(pc, 'Art. 48(3)'),
      {
        kind: 'fields',
        rows: [
          ['Conformity assessment route (Art. 43)', c?.route ? (c.route === 'annex_vi_internal_control' ? 'Annex VI (internal control)' : 'Annex VII (notified body)') : 'not recorded'],
          ['EU declaration of conformity (Art. 47)', c?.declarationRef ? `${c.declarationRef}${c.declarationSignedOn ? `, signed ${c.declarationSignedOn}` : ''}` : 'not recorded'],
          ['CE marking (Art. 48)', c?.ceMarkedOn ? `affixed ${c.ceMarkedOn}` : 'not recorded'],
        ],
      },
      ...(!c?.route || !c.declarationRef || !c.ceMarkedOn ? [gap('the missing conformity entries above', owner)] : []),
    ],
  };
}

function readinessSection(src: PackSource): DocSection {
  const head = { id: 'readiness', heading: 'Readiness: obligations that apply' };
  if (!src.obligations) return { ...head, blocks: [{ kind: 'paragraph', text: NOT_DETERMINED }] };
  const r = readinessOf(src.useCase, src.obligations, src.compliance);
  if (!r.items.length) return { ...head, blocks: [{ kind: 'paragraph', text: 'No EU AI Act obligation applies to this use case.' }] };
  const label = { met: 'met', missing: 'missing', not_yet: 'not yet applicable' } as const;
  return {
    ...head,
    blocks: [
      {
        kind: 'table',
        header: ['Article', 'Obligation', 'Party', 'State', 'Detail'],
        rows: r.items.map((i) => [i.obligation.article, i.obligation.title, i.obligation.party, label[i.state], i.detail]),
      },
    ],
  };
}

function controlsSection(src: PackSource, pc: PackContext): DocSection {
  const uc = src.useCase;
  return {
    id: 'controls',
    heading: 'Controls and their evidence',
    blocks: uc.requiredControls.length
      ? [
          {
            kind: 'table',
            header: ['Control', 'Title', 'Evidence'],
            rows: [...uc.requiredControls].sort().map((id) => {
              const ev = evidenceFor(uc, id);
              return [id, pc.policy.controls.find((c) => c.id === id)?.title ?? id, ev.length ? ev.map((e) => `${e.url} (${day(e.at)})`).join('; ') : `not provided — owner: ${personName(src, uc.ownerId)}`];
            }),
          },
        ]
      : [{ kind: 'paragraph', text: 'The playbooks require no control for this use case.' }],
  };
}

function notHighRisk(src: PackSource): DocSection {
  const uc = src.useCase;
  const why =
    uc.tier === 'prohibited'
      ? 'This use case is classified as a prohibited practice (Art. 5): it may not be placed on the market, put into service or used, so no technical documentation is drawn up for it.'
      : `Annex IV technical documentation (Art. 11) is drawn up for high-risk AI systems. This use case is classified "${uc.tier}"${uc.tierReasons.length ? ` (${uc.tierReasons.join('; ')})` : ''}, so Annex IV points 1 to 9, the fundamental rights impact assessment, EU database registration, conformity and post-market monitoring do not apply to it.`;
  return { id: 'annex-iv', heading: 'Technical documentation (Annex IV)', blocks: [{ kind: 'paragraph', text: why }] };
}

export function buildPack(src: PackSource, pc: PackContext): EvidenceDocument {
  const uc = src.useCase;
  const high = uc.tier === 'high';
  const sections: DocSection[] = [summary(src, pc)];
  if (high) {
    sections.push({ id: 'annex-iv', heading: 'Technical documentation (Annex IV)', blocks: [{ kind: 'quote', text: pc.texts.annexIV.intro, cite: `${pc.texts.regulation}, Annex IV` }], subsections: annexIVSections(src, pc) });
    sections.push(friaSection(src, pc), registrationSection(src, pc));
    const conformity = conformitySection(src, pc);
    if (conformity) sections.push(conformity);
  } else {
    sections.push(notHighRisk(src));
  }
  sections.push(readinessSection(src), controlsSection(src, pc));
  if (!high) sections.push({ id: 'changes', heading: 'Change history', blocks: changeHistoryBlocks(src) });
  return {
    title: `Evidence pack: ${uc.key} ${uc.title}`,
    subtitle: `${high ? 'Annex IV technical documentation and ' : ''}EU AI Act evidence, generated by Steward from the live record on ${pc.now.toISOString()}`,
    sections,
  };
}
