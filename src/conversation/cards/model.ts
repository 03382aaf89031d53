/**
 * The neutral card: what every reply and notification is made of, whatever the channel.
 * Builders (this folder) produce it from domain objects; pure renderers (../render) turn it
 * into Block Kit, Slack modals, Adaptive Cards or HTML. Text is plain: no channel markup,
 * the renderers escape it for their target.
 */
import { z } from 'zod';
import type { FormId } from '../actions';

export type Tone = 'good' | 'warning' | 'danger' | 'neutral' | 'info';

export interface Badge {
  label: string;
  tone: Tone;
}

export interface Field {
  label: string;
  value: string;
}

export interface Button {
  label: string;
  /** One of the constants in ../actions. */
  actionId: string;
  /** A key or compact JSON (see encodeValue); Slack caps it at 2000 characters. */
  value: string;
  style?: 'primary' | 'danger';
  /** Opens a link instead of calling back (e.g. evidence); the renderers show it as a link button. */
  url?: string;
}

/** A titled block inside a card; lists use one section per item. */
export interface Section {
  title?: string;
  badge?: Badge;
  text?: string;
  fields?: Field[];
  buttons?: Button[];
}

export interface Option {
  value: string;
  label: string;
}

export type InputKind = 'text' | 'multiline' | 'select' | 'multi_select' | 'date' | 'checkbox';

export interface Input {
  /** Unique within the form; the submitted values are keyed by it. */
  id: string;
  kind: InputKind;
  label: string;
  required: boolean;
  /** select / multi_select. */
  options?: Option[];
  /** text: the text; select: an option value; multi_select: values; date: YYYY-MM-DD; checkbox: true/false. */
  initial?: string | string[] | boolean;
  placeholder?: string;
  /** Shown under the input (Slack hint, Adaptive subtle text, HTML <small>). */
  hint?: string;
  maxLength?: number;
}

export interface Form {
  /** The callback id: one of FORM_IDS. */
  id: FormId;
  submitLabel: string;
  inputs: Input[];
  /** Values that travel with the submission unseen (an approval key, a use case key). */
  hidden: Record<string, string>;
}

export interface Pagination {
  /** 1-based. */
  page: number;
  pages: number;
  actionId: string;
  /** Which list and filter; the page buttons carry it with the target page (see pageButtonValue). */
  value: PageTarget;
}

export interface Card {
  title: string;
  subtitle?: string;
  text?: string;
  badge?: Badge;
  fields?: Field[];
  sections?: Section[];
  buttons?: Button[];
  form?: Form;
  pagination?: Pagination;
  /** Footer line: where the data came from, when it was computed. */
  context?: string;
}

export const PAGE_LISTS = ['usecases', 'approvals', 'incidents', 'models', 'reviews', 'people'] as const;

/** What a page button carries: the list, its filter and the page to show. Small by design. */
export const pageTargetSchema = z.object({
  list: z.enum(PAGE_LISTS),
  /** The list's filter as typed in the grammar (e.g. "mine", "stage:pilot", "open"). */
  filter: z.string().max(200).optional(),
  page: z.number().int().min(1).max(10_000),
});
export type PageTarget = z.infer<typeof pageTargetSchema>;

/** The previous/next buttons every renderer shows for a paginated card (same labels, same values). */
export function paginationButtons(p: Pagination): Button[] {
  const buttons: Button[] = [];
  if (p.page > 1) buttons.push({ label: '‹ Previous', actionId: p.actionId, value: JSON.stringify({ ...p.value, page: p.page - 1 }) });
  if (p.page < p.pages) buttons.push({ label: 'Next ›', actionId: p.actionId, value: JSON.stringify({ ...p.value, page: p.page + 1 }) });
  return buttons;
}

export const paginationLabel = (p: Pagination): string => `Page ${p.page} of ${p.pages}`;

/** Slices a list for one page; page is clamped so a stale button still shows something. */
export function pageOf<T>(items: readonly T[], page: number, perPage: number): { items: T[]; page: number; pages: number } {
  const pages = Math.max(1, Math.ceil(items.length / perPage));
  const current = Math.min(Math.max(1, Math.floor(page) || 1), pages);
  return { items: items.slice((current - 1) * perPage, current * perPage), page: current, pages };
}
