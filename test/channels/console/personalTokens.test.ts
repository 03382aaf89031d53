/**
 * Separation of duties in the production console: a personal token (CONSOLE_USER_TOKENS) acts
 * only as its person, whatever personId the request names; the shared CONSOLE_AUTH_TOKEN is
 * read-only. Every refusal is checked to have written nothing.
 */
import { sessionFor } from '../../../src/channels/console/auth';
import { READ_ONLY_NOTICE } from '../../../src/channels/console/pages';
import { APPROVE_ACTION_ID, INTAKE_FORM_ID } from '../../../src/conversation/actions';
import { INTAKE_INPUTS } from '../../../src/conversation/cards/forms/intakeForm';
import { escapeHtml } from '../../../src/conversation/render/html';
import { proposeTestUseCase } from '../../support/usecases';
import { api, useConsoleServer } from './harness';

const SHARED = 'shared-console-token-0123456789';
const GHOST_TOKEN = 'ghost-personal-token-0123456789';
/** Everyone in the team gets a personal token, by person id. */
const tokens = new Map<string, string>();
const tokenOf = (personId: string) => tokens.get(personId)!;

const h = useConsoleServer((team) => {
  Object.entries(team).forEach(([role, p]) => tokens.set(p.id, `personal-${role}-0123456789`));
  // Emails in upper case for one person: the lookup is case-insensitive.
  const pairs = Object.values(team).map((p, i) => `${i === 0 ? p.email!.toUpperCase() : p.email}=${tokenOf(p.id)}`);
  const CONSOLE_USER_TOKENS = [...pairs, `ghost@example.com=${GHOST_TOKEN}`].join(',');
  return { NODE_ENV: 'production', PUBLIC_URL: 'https://steward.example.com', CONSOLE_ENABLED: 'true', CONSOLE_AUTH_TOKEN: SHARED, CONSOLE_USER_TOKENS };
});

const as = (token: string) => ({ Authorization: `Bearer ${token}` });
const pm = () => h.team.llm_product_manager;
const pmToken = () => tokenOf(pm().id);

/** A pending gate approval on a fresh use case, and one of its approvers. */
async function pendingApproval(title: string) {
  const uc = await proposeTestUseCase(h.ctx, pm().id, 'minimal', { title });
  expect((await api(h, 'command', { personId: pm().id, text: `advance ${uc.key}` }, as(pmToken()))).status).toBe(200);
  const approval = (await h.ctx.repos.approvals.list({ useCaseKey: uc.key }))[0]!;
  expect(approval.status).toBe('pending');
  return { uc, approval, approverId: approval.approverIds.find((id) => id !== pm().id)! };
}

describe('a personal token acts only as its person', () => {
  it('runs a command as its own person', async () => {
    const r = await api(h, 'command', { personId: pm().id, text: 'whoami' }, as(pmToken()));
    expect(r.status).toBe(200);
    expect(r.json.cards.join('')).toContain(escapeHtml(pm().name));
  });

  it('acting as another person is 403 "you are signed in as …" and writes nothing', async () => {
    const { uc, approval, approverId } = await pendingApproval('Not yours to approve');
    const auditBefore = await h.ctx.repos.audit.count();

    const vote = await api(h, 'action', { personId: approverId, actionId: APPROVE_ACTION_ID, value: approval.key }, as(pmToken()));
    expect(vote.status).toBe(403);
    expect(vote.json.error.code).toBe('console.not_you');
    expect(vote.json.error.message).toBe(`you are signed in as ${pm().name}`);

    const cmd = await api(h, 'command', { personId: approverId, text: `approve ${approval.key} looks fine` }, as(pmToken()));
    expect(cmd.status).toBe(403);
    const form = await api(h, 'form', { personId: approverId, formId: INTAKE_FORM_ID, values: { [INTAKE_INPUTS.title]: 'Smuggled' }, hidden: {} }, as(pmToken()));
    expect(form.status).toBe(403);

    const after = (await h.ctx.repos.approvals.get(approval.key))!;
    expect(after.votes).toHaveLength(0);
    expect(after.status).toBe('pending');
    expect((await h.ctx.repos.useCases.get(uc.key))!.stage).toBe('ideation');
    expect(await h.ctx.repos.audit.count()).toBe(auditBefore);
  });

  it("the approver's own token casts the vote", async () => {
    const { approval, approverId } = await pendingApproval('Yours to approve');
    const vote = await api(h, 'action', { personId: approverId, actionId: APPROVE_ACTION_ID, value: approval.key }, as(tokenOf(approverId)));
    expect(vote.status).toBe(200);
    expect((await h.ctx.repos.approvals.get(approval.key))!.votes.map((v) => v.personId)).toEqual([approverId]);
  });

  it('the picker lists only the signed-in person; their chat page opens, nobody else’s', async () => {
    const picker = await (await fetch(h.base, { headers: as(pmToken()) })).text();
    expect(picker).toContain(`data-person-id="${pm().id}"`);
    for (const p of Object.values(h.team).filter((x) => x.id !== pm().id)) expect(picker).not.toContain(`data-person-id="${p.id}"`);
    expect(picker).toContain(`Signed in as ${escapeHtml(pm().name)}`);

    expect((await fetch(`${h.base}/chat?personId=${pm().id}`, { headers: as(pmToken()) })).status).toBe(200);
    const other = Object.values(h.team).find((x) => x.id !== pm().id)!;
    const refused = await fetch(`${h.base}/chat?personId=${other.id}`, { headers: as(pmToken()) });
    expect(refused.status).toBe(403);
    expect(await refused.text()).toContain(`you are signed in as ${escapeHtml(pm().name)}`);
    const feed = await fetch(`${h.base}/api/notifications?personId=${other.id}`, { headers: as(pmToken()) });
    expect(feed.status).toBe(403);
    expect(((await feed.json()) as any).error.code).toBe('console.not_you');
  });

  it('signing in with a personal token sets a cookie that acts as that person only', async () => {
    const login = await fetch(`${h.base}/login`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: `token=${encodeURIComponent(pmToken())}`,
      redirect: 'manual',
    });
    expect(login.status).toBe(303);
    const cookie = { Cookie: login.headers.get('set-cookie')!.split(';')[0]! };
    expect((await api(h, 'command', { personId: pm().id, text: 'help' }, cookie)).status).toBe(200);
    const other = Object.values(h.team).find((x) => x.id !== pm().id)!;
    expect((await api(h, 'command', { personId: other.id, text: 'help' }, cookie)).status).toBe(403);
  });

  it('a token for an email nobody has is refused on pages and the API', async () => {
    const page = await fetch(h.base, { headers: as(GHOST_TOKEN) });
    expect(page.status).toBe(403);
    expect(await page.text()).toContain('ghost@example.com');
    const r = await api(h, 'command', { personId: pm().id, text: 'help' }, as(GHOST_TOKEN));
    expect(r.status).toBe(403);
    expect(r.json.error.code).toBe('console.unknown_person');
  });
});

describe('the shared token is read-only', () => {
  it('pages and the dashboard answer 200; the picker lists everyone and says read-only', async () => {
    expect((await fetch(`${h.base}/dashboard`, { headers: as(SHARED) })).status).toBe(200);
    const picker = await fetch(h.base, { headers: as(SHARED) });
    expect(picker.status).toBe(200);
    const html = await picker.text();
    expect(html).toContain(escapeHtml(READ_ONLY_NOTICE));
    for (const p of Object.values(h.team)) expect(html).toContain(`data-person-id="${p.id}"`);
    const chat = await (await fetch(`${h.base}/chat?personId=${pm().id}`, { headers: as(SHARED) })).text();
    expect(chat).toMatch(/<input id="command"[^>]* disabled>/);
  });

  it('command, action and form answer 403 read-only and write nothing', async () => {
    const { approval, approverId } = await pendingApproval('Read-only cannot vote');
    const useCases = (await h.ctx.repos.useCases.list()).length;
    const calls: Array<[string, unknown]> = [
      ['command', { personId: pm().id, text: 'help' }],
      ['action', { personId: approverId, actionId: APPROVE_ACTION_ID, value: approval.key }],
      ['form', { personId: pm().id, formId: INTAKE_FORM_ID, values: { [INTAKE_INPUTS.title]: 'Read-only proposal' }, hidden: {} }],
    ];
    for (const [path, body] of calls) {
      const r = await api(h, path, body, as(SHARED));
      expect(r.status).toBe(403);
      expect(r.json.error).toEqual({ code: 'console.read_only', message: 'read-only: sign in with a personal token' });
    }
    expect((await h.ctx.repos.approvals.get(approval.key))!.votes).toHaveLength(0);
    expect((await h.ctx.repos.useCases.list()).length).toBe(useCases);
  });

  it('no token, or a wrong one, is still 401', async () => {
    expect((await api(h, 'command', { personId: pm().id, text: 'help' })).status).toBe(401);
    expect((await api(h, 'command', { personId: pm().id, text: 'help' }, as(`${pmToken()}x`))).status).toBe(401);
    expect((await fetch(`${h.base}/dashboard`, { headers: as('nope') })).status).toBe(401);
  });
});

describe('sessionFor', () => {
  const users = [{ email: 'a@example.com', token: 'token-a-0123456789' }];
  it('names the person for a personal token, a reader for the shared one, nobody otherwise', () => {
    expect(sessionFor('token-a-0123456789', SHARED, users)).toEqual({ kind: 'person', email: 'a@example.com' });
    expect(sessionFor(SHARED, SHARED, users)).toEqual({ kind: 'reader' });
    expect(sessionFor('token-a-012345678', SHARED, users)).toBeNull();
    expect(sessionFor('', SHARED, users)).toBeNull();
    expect(sessionFor(undefined, undefined, [])).toBeNull();
    // A personal token wins should it equal the shared one.
    expect(sessionFor(SHARED, SHARED, [{ email: 'b@example.com', token: SHARED }])).toEqual({ kind: 'person', email: 'b@example.com' });
  });
});
