/** The console's pages other than the dashboard: person picker, chat, login, a short message. */
import { roleName } from '../../conversation/cards/format';
import { escapeHtml } from '../../conversation/render/html';
import type { Policy } from '../../domain/policy';
import type { Person } from '../../domain/types';
import { CONSOLE_PATH, page } from './layout';

/** What a newcomer reads first (two lines): what Steward is, and what to do here. */
export const INTRO_LINES = [
  "Steward runs your organisation's LLM operating model from chat: use-case intake with the EU AI Act risk tier, RACI, stage-gate approvals, AI incidents and review cadences.",
  'This console lets you try it without Slack or Teams: pick a person below and use Steward as them.',
] as const;

/** Commands offered as one-click shortcuts on the chat page. */
export const SHORTCUTS = ['help', 'whoami', 'propose', 'list', 'approvals', 'incident', 'reviews', 'kpis', 'people'] as const;
/** Commands that need words after them: the chip starts them in the command box instead of sending. */
export const PREFILL_SHORTCUTS = ['search'] as const;

/** How the viewer signed in (access.ts): decides what the pages offer. */
export type ViewMode = 'open' | 'reader' | 'person';
export interface ViewOptions {
  mode?: ViewMode;
}

/** Replaces the picker's second intro line for someone signed in with a personal token. */
export const SIGNED_IN_LINE = 'You signed in with your personal token, so the console acts as you and only you.';
export const READ_ONLY_NOTICE = 'Read-only: you signed in with the shared console token. Sign in with your personal token to act.';

const readOnlyNotice = `<p class="notice" data-mode="reader">${escapeHtml(READ_ONLY_NOTICE)}</p>`;
const signOut = `<form method="post" action="${CONSOLE_PATH}/logout" class="signout"><button type="submit" class="button">Sign out</button></form>`;

const roles = (policy: Policy, p: Person): string =>
  p.roles.length ? p.roles.map((r) => escapeHtml(roleName(policy, r))).join(', ') : '<em>no role</em>';

export const chatHref = (personId: string): string => `${CONSOLE_PATH}/chat?personId=${encodeURIComponent(personId)}`;

export function pickerPage(people: readonly Person[], policy: Policy, { mode = 'open' }: ViewOptions = {}): string {
  const rows = [...people]
    .sort((a, b) => a.name.localeCompare(b.name))
    .map(
      (p) =>
        `<tr><td><a class="person" href="${escapeHtml(chatHref(p.id))}" data-person-id="${escapeHtml(p.id)}">${escapeHtml(p.name)}</a></td><td>${roles(policy, p)}</td></tr>`,
    )
    .join('');
  const list = people.length
    ? `<table class="people"><thead><tr><th>Person</th><th>Roles</th></tr></thead><tbody>${rows}</tbody></table>`
    : `<p class="notice">Nobody is registered yet. Start Steward in development (demo data is seeded when the database is empty) or set STEWARD_SEED_DEMO=true.</p>`;
  // A personal token acts only as its person: the list holds just them, so say why.
  const signedIn = mode === 'person';
  const heading = signedIn ? `<h2>Signed in as ${escapeHtml(people[0]?.name ?? '')} ${signOut}</h2>` : '<h2>Choose a person</h2>';
  const intro = signedIn ? [INTRO_LINES[0], SIGNED_IN_LINE] : INTRO_LINES;
  return page({
    title: signedIn ? 'Signed in' : 'Choose a person',
    current: 'people',
    body: `<section class="intro"><h1>Welcome to Steward</h1>${intro.map((l) => `<p>${escapeHtml(l)}</p>`).join('')}</section>
${mode === 'reader' ? readOnlyNotice : ''}<section>${heading}${list}</section>`,
  });
}

export function chatPage(person: Person, policy: Policy, { mode = 'open' }: ViewOptions = {}): string {
  // Read-only: the controls stay (the page looks the same) but are disabled; the API refuses anyway.
  const off = mode === 'reader' ? ' disabled' : '';
  const shortcuts = [
    ...SHORTCUTS.map((c) => `<button type="button" class="chip" data-command="${escapeHtml(c)}"${off}>${escapeHtml(c)}</button>`),
    ...PREFILL_SHORTCUTS.map((c) => `<button type="button" class="chip" data-prefill="${escapeHtml(c)} "${off}>${escapeHtml(c)}…</button>`),
  ].join('');
  const who =
    mode === 'person'
      ? `Signed in as <strong>${escapeHtml(person.name)}</strong> <span class="roles">${roles(policy, person)}</span> ${signOut}`
      : `${mode === 'reader' ? 'Viewing' : 'Acting as'} <strong>${escapeHtml(person.name)}</strong> <span class="roles">${roles(policy, person)}</span> <a href="${CONSOLE_PATH}">switch person</a>`;
  return page({
    title: person.name,
    current: 'chat',
    data: { 'person-id': person.id, 'person-name': person.name },
    body: `<div class="chat-layout">
<section class="chat" aria-label="Conversation">
${mode === 'reader' ? readOnlyNotice : ''}<div class="whoami">${who}</div>
<div id="transcript" class="transcript" aria-live="polite"><p class="hint">Type a command below (try <code>help</code>), or use a shortcut. Buttons and forms in the replies work as they do in Slack and Teams.</p></div>
<form id="command-form" class="command" autocomplete="off">
<input id="command" name="text" type="text" maxlength="2000" placeholder="e.g. propose, approvals, advance UC-1, incident" aria-label="Command"${off}>
<button type="submit" class="button button-primary"${off}>Send</button>
</form>
<div class="shortcuts">${shortcuts}</div>
</section>
<aside class="feed" aria-label="Notifications">
<h2>Notifications <span id="feed-status" class="feed-status">connecting…</span></h2>
<div id="feed"><p class="feed-empty">Notifications for ${escapeHtml(person.name)} appear here as they happen.</p></div>
</aside>
</div>`,
  });
}

export function loginPage(opts: { failed?: boolean } = {}): string {
  return page({
    title: 'Sign in',
    nav: false,
    body: `<section class="intro narrow"><h1>Sign in to the Steward console</h1>
<p>This console is protected. Enter your personal console token to use Steward as yourself, or the shared console token (CONSOLE_AUTH_TOKEN) to look around read-only.</p>
${opts.failed ? '<p class="error" role="alert">That token is not right.</p>' : ''}
<form method="post" action="${CONSOLE_PATH}/login" class="login">
<label for="token">Console token</label>
<input id="token" name="token" type="password" autocomplete="current-password" required>
<button type="submit" class="button button-primary">Sign in</button>
</form></section>`,
  });
}

export function messagePage(title: string, message: string): string {
  return page({
    title,
    body: `<section class="intro narrow"><h1>${escapeHtml(title)}</h1><p>${escapeHtml(message)}</p><p><a href="${CONSOLE_PATH}">Choose a person</a></p></section>`,
  });
}
