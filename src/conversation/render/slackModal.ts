/**
 * Neutral form card -> Slack modal view, and Slack's submitted state back to neutral form
 * values. Pure. Each input becomes an input block whose block_id is inputBlockId(input.id)
 * and whose element action_id is INPUT_ACTION_ID; hidden values ride in private_metadata.
 */
import { INPUT_ACTION_ID, inputBlockId, INPUT_BLOCK_PREFIX } from '../actions';
import type { Card, Input, Option } from '../cards/model';
import type { FormValues } from '../cards/forms/parseFormSubmission';
import { fieldSections, textSections } from './blockKit';
import type { SlackBlock, SlackText } from './blockKit';
import { chunk, truncate } from './text';
import { SLACK_LIMITS as L } from './slackLimits';

export interface SlackModalView {
  type: 'modal';
  callback_id: string;
  title: SlackText;
  submit: SlackText;
  close: SlackText;
  private_metadata: string;
  blocks: SlackBlock[];
}

const plain = (text: string, max: number): SlackText => ({ type: 'plain_text', text: truncate(text, max) || ' ', emoji: true });
const option = (o: Option) => ({ text: plain(o.label, L.optionText), value: truncate(o.value, L.optionValue) });

function selectOptions(options: readonly Option[]): Record<string, unknown> {
  if (options.length <= L.selectOptions) return { options: options.map(option) };
  // Beyond 100 options Slack wants groups of at most 100.
  return {
    option_groups: chunk(options, L.selectOptions)
      .slice(0, L.optionGroups)
      .map((group, i) => ({ label: plain(`Options ${i * L.selectOptions + 1}–${i * L.selectOptions + group.length}`, L.optionText), options: group.map(option) })),
  };
}

function element(input: Input): Record<string, unknown> {
  const base = { action_id: INPUT_ACTION_ID };
  const placeholder = input.placeholder ? { placeholder: plain(input.placeholder, L.placeholder) } : {};
  const options = input.options ?? [];
  const initials = Array.isArray(input.initial) ? input.initial : typeof input.initial === 'string' ? [input.initial] : [];
  const initialOptions = options.filter((o) => initials.includes(o.value)).map(option);
  switch (input.kind) {
    case 'text':
    case 'multiline':
      return {
        ...base,
        type: 'plain_text_input',
        multiline: input.kind === 'multiline',
        max_length: Math.min(input.maxLength ?? L.plainTextInputMax, L.plainTextInputMax),
        ...(typeof input.initial === 'string' ? { initial_value: truncate(input.initial, L.plainTextInputMax) } : {}),
        ...placeholder,
      };
    case 'select':
      return { ...base, type: 'static_select', ...selectOptions(options), ...(initialOptions[0] ? { initial_option: initialOptions[0] } : {}), ...placeholder };
    case 'multi_select':
      return { ...base, type: 'multi_static_select', ...selectOptions(options), ...(initialOptions.length ? { initial_options: initialOptions } : {}), ...placeholder };
    case 'date':
      return { ...base, type: 'datepicker', ...(typeof input.initial === 'string' ? { initial_date: input.initial } : {}), ...placeholder };
    case 'checkbox': {
      const yes = { text: plain('Yes', L.optionText), value: 'true' };
      return { ...base, type: 'checkboxes', options: [yes], ...(input.initial === true ? { initial_options: [yes] } : {}) };
    }
  }
}

export function inputBlock(input: Input): SlackBlock {
  const blockId = inputBlockId(input.id);
  if (blockId.length > L.blockId) throw new Error(`input id too long for Slack: ${input.id}`);
  return {
    type: 'input',
    block_id: blockId,
    label: plain(input.label, L.inputLabel),
    optional: !input.required,
    ...(input.hint ? { hint: plain(input.hint, L.inputHint) } : {}),
    element: element(input),
  };
}

export function cardToSlackModal(card: Card): SlackModalView {
  if (!card.form) throw new Error('cardToSlackModal needs a card with a form');
  const blocks: SlackBlock[] = [];
  if (card.title.length > L.modalTitle) blocks.push(...textSections(card.title));
  if (card.text) blocks.push(...textSections(card.text));
  if (card.fields?.length) blocks.push(...fieldSections(card.fields));
  blocks.push(...card.form.inputs.map(inputBlock));
  // A form cannot continue in another view; a playbook that grows past this must be split.
  if (blocks.length > L.modalBlocks) throw new Error(`form ${card.form.id} needs ${blocks.length} blocks; Slack allows ${L.modalBlocks}`);
  const metadata = JSON.stringify(card.form.hidden);
  if (metadata.length > L.privateMetadata) throw new Error('hidden form values exceed Slack private_metadata');
  return {
    type: 'modal',
    callback_id: truncate(card.form.id, L.callbackId),
    title: plain(card.title, L.modalTitle),
    submit: plain(card.form.submitLabel, L.modalButton),
    close: plain('Cancel', L.modalButton),
    private_metadata: metadata,
    blocks,
  };
}

type SlackStateValue = {
  type?: string;
  value?: string | null;
  selected_option?: { value: string } | null;
  selected_options?: { value: string }[];
  selected_date?: string | null;
};

/** view.state.values + private_metadata -> the neutral values parseFormSubmission reads. */
export function slackViewValues(stateValues: Record<string, Record<string, SlackStateValue>>, privateMetadata?: string): FormValues {
  const values: FormValues = {};
  if (privateMetadata) {
    try {
      const hidden: unknown = JSON.parse(privateMetadata);
      if (hidden && typeof hidden === 'object') for (const [k, v] of Object.entries(hidden)) if (typeof v === 'string') values[k] = v;
    } catch {
      // Not ours: ignore rather than fail the submission; validation reports what is missing.
    }
  }
  for (const [blockId, actions] of Object.entries(stateValues)) {
    if (!blockId.startsWith(INPUT_BLOCK_PREFIX)) continue;
    const state = actions[INPUT_ACTION_ID];
    if (!state) continue;
    const id = blockId.slice(INPUT_BLOCK_PREFIX.length);
    if (state.type === 'checkboxes') values[id] = (state.selected_options ?? []).some((o) => o.value === 'true');
    else if (state.type === 'multi_static_select') values[id] = (state.selected_options ?? []).map((o) => o.value);
    else if (state.type === 'static_select') values[id] = state.selected_option?.value ?? undefined;
    else if (state.type === 'datepicker') values[id] = state.selected_date ?? undefined;
    else values[id] = state.value ?? undefined;
  }
  return values;
}
