/**
 * Neutral card -> HTML fragment for the local web console. Pure. Every piece of text and
 * every attribute is escaped; buttons carry data-action-id / data-value, forms are
 * <form data-form-id> with named inputs (hidden values as hidden inputs).
 */
import type { Badge, Button, Card, Field, Input, Section } from '../cards/model';
import { paginationButtons, paginationLabel } from '../cards/model';

export const escapeHtml = (text: string): string =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');

const lines = (text: string): string => escapeHtml(text).replace(/\n/g, '<br>');
const attr = (name: string, value: string): string => ` ${name}="${escapeHtml(value)}"`;
const badge = (b: Badge): string => `<span class="badge badge-${b.tone}">${escapeHtml(b.label)}</span>`;
const fields = (fs: readonly Field[]): string => `<dl class="fields">${fs.map((f) => `<dt>${escapeHtml(f.label)}</dt><dd>${lines(f.value || '—')}</dd>`).join('')}</dl>`;

export function htmlButton(b: Button): string {
  if (b.url && /^https?:\/\//i.test(b.url)) return `<a class="button" target="_blank" rel="noopener noreferrer"${attr('href', b.url)}>${escapeHtml(b.label)}</a>`;
  const style = b.style ? ` button-${b.style}` : '';
  return `<button type="button" class="button${style}"${attr('data-action-id', b.actionId)}${attr('data-value', b.value)}>${escapeHtml(b.label)}</button>`;
}

const buttons = (bs: readonly Button[], cls = 'actions'): string => (bs.length ? `<div class="${cls}">${bs.map(htmlButton).join('')}</div>` : '');

function section(s: Section): string {
  const head = s.title || s.badge ? `<h3>${s.title ? escapeHtml(s.title) : ''}${s.badge ? ` ${badge(s.badge)}` : ''}</h3>` : '';
  return `<section>${head}${s.text ? `<p>${lines(s.text)}</p>` : ''}${s.fields?.length ? fields(s.fields) : ''}${buttons(s.buttons ?? [])}</section>`;
}

const isYesNo = (i: Input): boolean => (i.options ?? []).map((o) => o.value).join('/') === 'yes/no';

/** A fieldset of checkboxes (several) or radio buttons (one), every option's full text visible. */
function choiceGroup(i: Input, type: 'checkbox' | 'radio', hint: string): string {
  const chosen = Array.isArray(i.initial) ? i.initial : typeof i.initial === 'string' ? [i.initial] : [];
  const how = type === 'checkbox' ? '<span class="choose-hint">Choose all that apply.</span>' : '';
  const options = (i.options ?? [])
    .map((o, n) => {
      const id = `f-${i.id}-${n}`;
      return `<label class="choice"${attr('for', id)}><input type="${type}"${attr('id', id)}${attr('name', i.id)}${attr('value', o.value)}${chosen.includes(o.value) ? ' checked' : ''}${type === 'radio' && i.required ? ' required' : ''}><span>${escapeHtml(o.label)}</span></label>`;
    })
    .join('');
  return `<fieldset class="input choices choices-${type}"${attr('data-name', i.id)}><legend>${escapeHtml(i.label)}${i.required ? ' <span class="required">*</span>' : ''}</legend>${hint}${how}<div class="choice-list">${options}</div></fieldset>`;
}

function input(i: Input): string {
  const id = `f-${i.id}`;
  const req = i.required ? ' required' : '';
  const label = `<label${attr('for', id)}>${escapeHtml(i.label)}${i.required ? ' <span class="required">*</span>' : ''}</label>`;
  const hint = i.hint ? `<small>${escapeHtml(i.hint)}</small>` : '';
  const initial = i.initial;
  const max = i.maxLength ? attr('maxlength', String(i.maxLength)) : '';
  const ph = i.placeholder ? attr('placeholder', i.placeholder) : '';
  let control: string;
  switch (i.kind) {
    case 'text':
      control = `<input type="text"${attr('id', id)}${attr('name', i.id)}${typeof initial === 'string' ? attr('value', initial) : ''}${max}${ph}${req}>`;
      break;
    case 'multiline':
      control = `<textarea${attr('id', id)}${attr('name', i.id)}${max}${ph}${req}>${typeof initial === 'string' ? escapeHtml(initial) : ''}</textarea>`;
      break;
    case 'date':
      control = `<input type="date"${attr('id', id)}${attr('name', i.id)}${typeof initial === 'string' ? attr('value', initial) : ''}${req}>`;
      break;
    case 'checkbox':
      return `<div class="input input-checkbox"><input type="checkbox"${attr('id', id)}${attr('name', i.id)} value="true"${initial === true ? ' checked' : ''}${req}>${label}${hint}</div>`;
    case 'multi_select':
      // Every option in full, each its own box: a native multi-select hides most of them and
      // gives no hint that several can be chosen.
      return choiceGroup(i, 'checkbox', hint);
    case 'select': {
      // Yes / no is an explicit pick between two buttons, with nothing preselected.
      if (isYesNo(i)) return choiceGroup(i, 'radio', hint);
      const chosen = typeof initial === 'string' ? [initial] : [];
      const options = (i.options ?? []).map((o) => `<option${attr('value', o.value)}${chosen.includes(o.value) ? ' selected' : ''}>${escapeHtml(o.label)}</option>`).join('');
      control = `<select${attr('id', id)}${attr('name', i.id)}${req}><option value="">Choose…</option>${options}</select>`;
      break;
    }
  }
  return `<div class="input">${label}${control}${hint}</div>`;
}

export function cardToHtml(card: Card): string {
  const parts: string[] = [`<article class="card">`, `<header><h2>${escapeHtml(card.title)}</h2>${card.badge ? badge(card.badge) : ''}`];
  if (card.subtitle) parts.push(`<p class="subtitle">${escapeHtml(card.subtitle)}</p>`);
  parts.push('</header>');
  if (card.text) parts.push(`<p class="text">${lines(card.text)}</p>`);
  if (card.fields?.length) parts.push(fields(card.fields));
  for (const s of card.sections ?? []) parts.push(section(s));
  if (card.form) {
    const hidden = Object.entries(card.form.hidden).map(([k, v]) => `<input type="hidden"${attr('name', k)}${attr('value', v)}>`).join('');
    parts.push(`<form${attr('data-form-id', card.form.id)}>${hidden}${card.form.inputs.map(input).join('')}<button type="submit" class="button button-primary">${escapeHtml(card.form.submitLabel)}</button></form>`);
  }
  parts.push(buttons(card.buttons ?? []));
  if (card.pagination && card.pagination.pages > 1) {
    parts.push(`<nav class="pagination"><span>${escapeHtml(paginationLabel(card.pagination))}</span>${buttons(paginationButtons(card.pagination), 'pages')}</nav>`);
  }
  if (card.context) parts.push(`<footer>${escapeHtml(card.context)}</footer>`);
  parts.push('</article>');
  return parts.join('');
}
