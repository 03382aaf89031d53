/**
 * Fills a modal the way a person does in Slack: from the view the app really opened
 * (views.open args), builds `view.state.values` in Slack's shape (block_id -> action_id ->
 * element state). An answer for an input the modal does not have, or an option it does not
 * offer, throws: the test then fails rather than submitting something Slack never could.
 */
import { INPUT_ACTION_ID } from '../../../../src/conversation/actions';

type Json = Record<string, any>;
export type Answer = string | string[] | boolean;

function optionsOf(element: Json): Json[] {
  return [...(element.options ?? []), ...((element.option_groups ?? []) as Json[]).flatMap((g) => g.options ?? [])];
}

function pick(element: Json, blockId: string, value: string): Json {
  const found = optionsOf(element).find((o) => o.value === value);
  if (!found) throw new Error(`${blockId} offers no option ${value}; it offers ${optionsOf(element).map((o) => o.value).join(', ')}`);
  return found;
}

function elementState(element: Json, blockId: string, answer: Answer | undefined): Json {
  switch (element.type) {
    case 'plain_text_input':
      return { type: element.type, value: answer === undefined ? null : String(answer) };
    case 'static_select':
      return { type: element.type, selected_option: answer === undefined ? null : pick(element, blockId, String(answer)) };
    case 'multi_static_select':
      return { type: element.type, selected_options: ([] as string[]).concat((answer as string | string[] | undefined) ?? []).map((v) => pick(element, blockId, v)) };
    case 'checkboxes':
      return { type: element.type, selected_options: answer === true ? [pick(element, blockId, 'true')] : [] };
    case 'datepicker':
      return { type: element.type, selected_date: answer === undefined ? null : String(answer) };
    default:
      throw new Error(`modal element type ${String(element.type)} is not handled by the test`);
  }
}

/** The input block ids of a modal, in order. */
export function inputBlockIds(view: Json): string[] {
  return (view.blocks as Json[]).filter((b) => b.type === 'input').map((b) => b.block_id as string);
}

/** `answers` by input block id (inputBlockId(inputId)); unanswered inputs are sent empty, as Slack does. */
export function stateFor(view: Json, answers: Record<string, Answer>): Record<string, Record<string, Json>> {
  const inputs = (view.blocks as Json[]).filter((b) => b.type === 'input');
  const unknown = Object.keys(answers).filter((id) => !inputs.some((b) => b.block_id === id));
  if (unknown.length) throw new Error(`the modal has no input ${unknown.join(', ')}`);
  const values: Record<string, Record<string, Json>> = {};
  for (const block of inputs) {
    const element = block.element as Json;
    if (element.action_id !== INPUT_ACTION_ID) throw new Error(`${block.block_id}: action_id ${element.action_id}`);
    values[block.block_id] = { [element.action_id]: elementState(element, block.block_id, answers[block.block_id]) };
  }
  return values;
}
