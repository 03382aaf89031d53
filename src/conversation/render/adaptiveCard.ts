/**
 * Neutral card -> Adaptive Card 1.5 (the highest version Teams renders). Pure. Buttons and
 * form submits are Action.Execute (Universal Actions): verb = the action or form id,
 * data = { value } for buttons and the hidden values for forms (Teams merges the inputs in).
 */
import { encodeValue, FORM_OPENERS } from '../actions';
import type { Badge, Button, Card, Field, Input, Section, Tone } from '../cards/model';
import { paginationButtons, paginationLabel } from '../cards/model';
import { TONE_MARKS } from './text';

export type AdaptiveElement = { type: string } & Record<string, unknown>;
export interface AdaptiveCardJson {
  type: 'AdaptiveCard';
  $schema: string;
  version: '1.5';
  fallbackText: string;
  body: AdaptiveElement[];
  actions?: AdaptiveElement[];
}

export const ADAPTIVE_CARD_SCHEMA_URL = 'http://adaptivecards.io/schemas/adaptive-card.json';

const COLORS: Record<Tone, string> = { good: 'good', warning: 'warning', danger: 'attention', info: 'accent', neutral: 'default' };

/**
 * Teams renders markdown in TextBlocks and facts, so text a person typed could pose as a link
 * ("[Approve here](https://…)"). A zero-width space between `]` and `(` keeps the words and
 * the visible URL but breaks the link syntax. (Block Kit and HTML escape in their renderers.)
 */
export const noMarkdownLinks = (text: string): string => text.replace(/\](\s*)\(/g, ']\u200b$1(');
const textBlock = (text: string, extra: Record<string, unknown> = {}): AdaptiveElement => ({ type: 'TextBlock', text: noMarkdownLinks(text), wrap: true, ...extra });
const badgeBlock = (badge: Badge): AdaptiveElement => textBlock(`${TONE_MARKS[badge.tone]} ${badge.label}`, { color: COLORS[badge.tone], weight: 'bolder', size: 'small', spacing: 'none' });
const factSet = (fields: readonly Field[]): AdaptiveElement => ({ type: 'FactSet', facts: fields.map((f) => ({ title: noMarkdownLinks(f.label), value: noMarkdownLinks(f.value || '—') })) });

export function adaptiveAction(button: Button): AdaptiveElement {
  if (button.url) return { type: 'Action.OpenUrl', title: button.label, url: button.url };
  return {
    type: 'Action.Execute',
    title: button.label,
    verb: button.actionId,
    data: { value: button.value },
    ...(button.style ? { style: button.style === 'danger' ? 'destructive' : 'positive' } : {}),
  };
}

/**
 * "<label> is required", with a long label (a whole intake question) shortened at a word
 * boundary, never mid-word: Teams shows the message under the input, where the label is anyway.
 */
export function requiredMessage(label: string, max = 60): string {
  const clean = label.replace(/\s+/g, ' ').trim();
  if (clean.length <= max) return `${clean} is required`;
  const cut = clean.slice(0, max + 1);
  const space = cut.lastIndexOf(' ');
  const head = (space > max / 2 ? cut.slice(0, space) : clean.slice(0, max)).replace(/[\s,;:.?!—-]+$/, '');
  return `${head}… is required`;
}

function inputElement(input: Input): AdaptiveElement[] {
  const common = {
    id: input.id,
    label: input.label,
    ...(input.required ? { isRequired: true, errorMessage: requiredMessage(input.label) } : {}),
  };
  const initial = input.initial;
  let element: AdaptiveElement;
  switch (input.kind) {
    case 'text':
    case 'multiline':
      element = {
        type: 'Input.Text',
        ...common,
        isMultiline: input.kind === 'multiline',
        ...(input.maxLength ? { maxLength: input.maxLength } : {}),
        ...(input.placeholder ? { placeholder: input.placeholder } : {}),
        ...(typeof initial === 'string' ? { value: initial } : {}),
      };
      break;
    case 'select':
    case 'multi_select':
      element = {
        type: 'Input.ChoiceSet',
        ...common,
        isMultiSelect: input.kind === 'multi_select',
        style: 'compact',
        choices: (input.options ?? []).map((o) => ({ title: o.label, value: o.value })),
        ...(initial !== undefined && typeof initial !== 'boolean' ? { value: Array.isArray(initial) ? initial.join(',') : initial } : {}),
        ...(input.placeholder ? { placeholder: input.placeholder } : {}),
      };
      break;
    case 'date':
      element = { type: 'Input.Date', ...common, ...(typeof initial === 'string' ? { value: initial } : {}) };
      break;
    case 'checkbox':
      // The toggle's own title carries the question; `label` would repeat it.
      element = {
        type: 'Input.Toggle',
        id: input.id,
        title: input.label,
        valueOn: 'true',
        valueOff: 'false',
        value: initial === true ? 'true' : 'false',
        wrap: true,
        ...(input.required ? { isRequired: true, errorMessage: 'Tick this box to continue' } : {}),
      };
      break;
  }
  return input.hint ? [element, textBlock(input.hint, { isSubtle: true, size: 'small', spacing: 'none' })] : [element];
}

function sectionContainer(section: Section): AdaptiveElement {
  const items: AdaptiveElement[] = [];
  if (section.title) items.push(textBlock(section.title, { weight: 'bolder' }));
  if (section.badge) items.push(badgeBlock(section.badge));
  if (section.text) items.push(textBlock(section.text));
  if (section.fields?.length) items.push(factSet(section.fields));
  if (section.buttons?.length) items.push({ type: 'ActionSet', actions: section.buttons.map(adaptiveAction) });
  if (!items.length) items.push(textBlock(' '));
  return { type: 'Container', separator: true, spacing: 'medium', items };
}

export function cardToAdaptiveCard(card: Card): AdaptiveCardJson {
  const body: AdaptiveElement[] = [textBlock(card.title, { size: 'large', weight: 'bolder' })];
  if (card.badge) body.push(badgeBlock(card.badge));
  if (card.subtitle) body.push(textBlock(card.subtitle, { isSubtle: true, spacing: 'none' }));
  if (card.text) body.push(textBlock(card.text));
  if (card.fields?.length) body.push(factSet(card.fields));
  for (const section of card.sections ?? []) body.push(sectionContainer(section));
  const actions: AdaptiveElement[] = (card.buttons ?? []).map(adaptiveAction);
  if (card.form) {
    for (const input of card.form.inputs) body.push(...inputElement(input));
    actions.unshift({ type: 'Action.Execute', title: card.form.submitLabel, verb: card.form.id, data: { ...card.form.hidden }, associatedInputs: 'auto', style: 'positive' });
  }
  if (card.pagination && card.pagination.pages > 1) {
    body.push(textBlock(paginationLabel(card.pagination), { isSubtle: true, size: 'small', separator: true }));
    body.push({ type: 'ActionSet', actions: paginationButtons(card.pagination).map(adaptiveAction) });
  }
  if (card.context) body.push(textBlock(card.context, { isSubtle: true, size: 'small', separator: true }));
  return {
    type: 'AdaptiveCard',
    $schema: ADAPTIVE_CARD_SCHEMA_URL,
    version: '1.5',
    fallbackText: [card.title, card.badge?.label].filter(Boolean).join(' · '),
    body,
    ...(actions.length ? { actions } : {}),
  };
}

/** For places that cannot show inputs inline (a notification): a button that opens the form. */
export function formOpenerButton(card: Card): Button | undefined {
  if (!card.form) return undefined;
  return { label: card.form.submitLabel, actionId: FORM_OPENERS[card.form.id], value: encodeValue(card.form.hidden.approvalKey ?? card.form.hidden.useCaseKey ?? '') };
}
