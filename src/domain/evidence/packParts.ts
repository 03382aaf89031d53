/** Small shared helpers for building pack sections from a PackSource. Pure. */
import type { Policy } from '../policy';
import type { UseCase } from '../types';
import type { PackSource } from './collectSource';
import type { Block } from './types';

export const day = (d: Date | undefined): string => (d ? d.toISOString().slice(0, 10) : '—');
export const pct = (n: number | undefined): string => (n === undefined ? '—' : `${Math.round(n * 1000) / 10}%`);

export function personName(src: PackSource, id: string | undefined): string {
  if (!id) return 'nobody';
  return src.people.get(id)?.name ?? id;
}

/** The Accountable person(s) of a RACI area, by name; the use case owner when none is named. */
export function accountable(src: PackSource, area: string): string {
  const ids = src.useCase.raci.find((r) => r.area === area)?.accountable ?? [];
  return ids.length ? ids.map((id) => personName(src, id)).join(', ') : `${personName(src, src.useCase.ownerId)} (owner; no Accountable named for ${area})`;
}

export function raciNames(src: PackSource, area: string, part: 'responsible' | 'accountable' | 'consulted' | 'informed'): string {
  const ids = src.useCase.raci.find((r) => r.area === area)?.[part] ?? [];
  return ids.length ? ids.map((id) => personName(src, id)).join(', ') : '—';
}

export const gap = (what: string, owner: string): Block => ({ kind: 'gap', what, owner });

/** Evidence linked for a control, newest last; empty when none. */
export function evidenceFor(uc: UseCase, controlId: string): UseCase['evidence'] {
  return uc.evidence.filter((e) => e.controlId === controlId);
}

/** A control's evidence as blocks: the links, or a gap naming who owes it. */
export function controlBlocks(src: PackSource, policy: Policy, controlId: string, owner: string): Block[] {
  const def = policy.controls.find((c) => c.id === controlId);
  const title = def ? `${controlId} (${def.title})` : controlId;
  const ev = evidenceFor(src.useCase, controlId);
  if (!ev.length) {
    return src.useCase.requiredControls.includes(controlId)
      ? [gap(`evidence for ${title}`, owner)]
      : [{ kind: 'paragraph', text: `${title} is not required for this use case by the playbooks.` }];
  }
  return [{ kind: 'list', items: ev.map((e) => `${title}: ${e.url}${e.note ? ` — ${e.note}` : ''} (${personName(src, e.by)}, ${day(e.at)})`) }];
}

/** Answers as the intake recorded them, for the sections that quote them. */
export function answer(uc: UseCase, id: string): string | undefined {
  const v = uc.answers[id];
  if (v === undefined || v === null || v === '') return undefined;
  if (Array.isArray(v)) return v.length ? v.join(', ') : undefined;
  return String(v);
}
