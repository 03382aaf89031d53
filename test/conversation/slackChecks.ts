/**
 * Independent checks of Slack's documented Block Kit limits, written from the Slack reference
 * rather than from the renderer's own constants, so a renderer bug cannot hide behind them.
 */
type Json = Record<string, any>;

const textLen = (t: Json | undefined): number => (t && typeof t.text === 'string' ? t.text.length : 0);

function checkButton(el: Json, where: string, problems: string[]): void {
  if (textLen(el.text) > 75) problems.push(`${where}: button text ${textLen(el.text)} > 75`);
  if (textLen(el.text) === 0) problems.push(`${where}: empty button text`);
  if ((el.action_id ?? '').length > 255) problems.push(`${where}: action_id > 255`);
  if (el.value !== undefined && (el.value.length > 2000 || el.value.length === 0)) problems.push(`${where}: bad value length ${el.value.length}`);
}

export function blockProblems(blocks: Json[], maxBlocks: number): string[] {
  const problems: string[] = [];
  if (blocks.length > maxBlocks) problems.push(`${blocks.length} blocks > ${maxBlocks}`);
  const blockIds = new Set<string>();
  blocks.forEach((b, i) => {
    const where = `block ${i} (${b.type})`;
    if (b.block_id !== undefined) {
      if (b.block_id.length > 255) problems.push(`${where}: block_id > 255`);
      if (blockIds.has(b.block_id)) problems.push(`${where}: duplicate block_id ${b.block_id}`);
      blockIds.add(b.block_id);
    }
    switch (b.type) {
      case 'header':
        if (textLen(b.text) > 150 || textLen(b.text) === 0) problems.push(`${where}: header text ${textLen(b.text)}`);
        break;
      case 'section':
        if (!b.text && !b.fields) problems.push(`${where}: section without text or fields`);
        if (b.text && (textLen(b.text) > 3000 || textLen(b.text) === 0)) problems.push(`${where}: section text ${textLen(b.text)}`);
        if (b.fields && (b.fields.length > 10 || b.fields.some((f: Json) => textLen(f) > 2000 || textLen(f) === 0))) problems.push(`${where}: bad fields`);
        if (b.accessory) checkButton(b.accessory, where, problems);
        break;
      case 'actions': {
        if (b.elements.length > 25 || b.elements.length === 0) problems.push(`${where}: ${b.elements.length} elements`);
        const ids = b.elements.map((e: Json) => e.action_id);
        if (new Set(ids).size !== ids.length) problems.push(`${where}: duplicate action_id in block`);
        b.elements.forEach((e: Json) => checkButton(e, where, problems));
        break;
      }
      case 'context':
        if (b.elements.length > 10 || b.elements.some((e: Json) => textLen(e) > 3000 || textLen(e) === 0)) problems.push(`${where}: bad context`);
        break;
      case 'input': {
        if (textLen(b.label) > 2000 || textLen(b.label) === 0) problems.push(`${where}: label ${textLen(b.label)}`);
        if (b.hint && textLen(b.hint) > 2000) problems.push(`${where}: hint too long`);
        const el = b.element;
        if (!['plain_text_input', 'static_select', 'multi_static_select', 'datepicker', 'checkboxes'].includes(el.type)) problems.push(`${where}: element ${el.type}`);
        if ((el.action_id ?? '').length > 255) problems.push(`${where}: element action_id > 255`);
        if (el.placeholder && textLen(el.placeholder) > 150) problems.push(`${where}: placeholder > 150`);
        if (el.max_length !== undefined && el.max_length > 3000) problems.push(`${where}: max_length > 3000`);
        const options: Json[] = el.options ?? (el.option_groups ?? []).flatMap((g: Json) => g.options);
        if (el.options && el.options.length > (el.type === 'checkboxes' ? 10 : 100)) problems.push(`${where}: too many options`);
        for (const o of options) {
          if (textLen(o.text) > 75 || textLen(o.text) === 0) problems.push(`${where}: option text ${textLen(o.text)}`);
          if (o.value.length > 150) problems.push(`${where}: option value > 150`);
        }
        break;
      }
      case 'divider':
        break;
      default:
        problems.push(`${where}: unexpected block type`);
    }
  });
  return problems;
}

export function modalProblems(view: Json): string[] {
  const problems = blockProblems(view.blocks, 100);
  if (view.type !== 'modal') problems.push('not a modal');
  for (const key of ['title', 'submit', 'close']) {
    if (textLen(view[key]) > 24 || textLen(view[key]) === 0) problems.push(`${key} text ${textLen(view[key])} not in 1..24`);
    if (view[key]?.type !== 'plain_text') problems.push(`${key} must be plain_text`);
  }
  if (!view.callback_id || view.callback_id.length > 255) problems.push('callback_id');
  if (typeof view.private_metadata !== 'string' || view.private_metadata.length > 3000) problems.push('private_metadata');
  return problems;
}
