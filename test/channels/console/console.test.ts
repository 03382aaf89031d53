/**
 * The web console over real HTTP (buildServer, FerretDB): pages, API validation, a command,
 * button and form round trip through the conversation, the notifications stream and the
 * dashboard's charts.
 */
import { APPROVE_ACTION_ID, INTAKE_FORM_ID } from '../../../src/conversation/actions';
import { INTAKE_INPUTS, questionInputId } from '../../../src/conversation/cards/forms/intakeForm';
import { INTRO_LINES } from '../../../src/channels/console/pages';
import { CONTENT_SECURITY_POLICY } from '../../../src/channels/console/layout';
import { escapeHtml } from '../../../src/conversation/render/html';
import { ANSWERS_FOR, proposeTestUseCase } from '../../support/usecases';
import { api, useConsoleServer } from './harness';

const h = useConsoleServer();
const pm = () => h.team.llm_product_manager;

describe('pages', () => {
  it('the landing page explains Steward and lists every person with their roles', async () => {
    const res = await fetch(h.base);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    const html = await res.text();
    for (const line of INTRO_LINES) expect(html).toContain(escapeHtml(line));
    for (const p of Object.values(h.team)) expect(html).toContain(`data-person-id="${p.id}"`);
    expect(html).toContain('LLM Product Manager');
    expect(html).not.toMatch(/https?:\/\/(?!www\.w3\.org)/); // no external assets
  });

  it('the chat page names the person; an unknown person is a 404 page', async () => {
    const ok = await fetch(`${h.base}/chat?personId=${encodeURIComponent(pm().id)}`);
    expect(ok.status).toBe(200);
    expect(await ok.text()).toContain(`data-person-id="${pm().id}"`);
    const missing = await fetch(`${h.base}/chat?personId=nobody-here`);
    expect(missing.status).toBe(404);
    expect(await missing.text()).toMatch(/Unknown person/);
  });

  it('serves its own script and stylesheet', async () => {
    const js = await fetch(`${h.base}/assets/console.js`);
    expect(js.headers.get('content-type')).toMatch(/javascript/);
    expect(await js.text()).toContain('api/notifications');
    const css = await fetch(`${h.base}/assets/console.css`);
    expect(css.headers.get('content-type')).toMatch(/text\/css/);
  });
});

describe('API validation', () => {
  it.each([
    ['command', /personId: required/, {}],
    ['command', /text: required/, { personId: 'x' }],
    ['command', /text: type a command/, { personId: 'x', text: '   ' }],
    ['command', /text: at most 2000/, { personId: 'x', text: 'y'.repeat(2001) }],
    ['action', /actionId: required/, { personId: 'x', actionId: '', value: '' }],
    ['action', /value: required/, { personId: 'x', actionId: 'a' }],
    ['form', /formId: not a known form/, { personId: 'x', formId: 'steward.form.nope', values: {} }],
    ['form', /values: expected an object/, { personId: 'x', formId: INTAKE_FORM_ID, values: 'title' }],
    ['form', /values\.a/, { personId: 'x', formId: INTAKE_FORM_ID, values: { a: 1 } }],
  ])('%s -> 400 %s', async (path, message, body) => {
    const r = await api(h, path, body);
    expect(r.status).toBe(400);
    expect(r.json.error.code).toBe('console.invalid');
    expect(r.json.error.message).toMatch(message);
    expect(r.json.error.message.length).toBeLessThan(120);
  });

  it('malformed JSON is a 400, a non-JSON body a 415, an unknown person a 404', async () => {
    const bad = await api(h, 'command', '{"personId":');
    expect(bad.status).toBe(400);
    const form = await fetch(`${h.base}/api/command`, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: 'personId=x&text=help' });
    expect(form.status).toBe(415);
    const nobody = await api(h, 'command', { personId: 'nobody', text: 'help' });
    expect(nobody.status).toBe(404);
    expect(nobody.json.error.message).toContain('nobody');
  });

  it('the notifications stream needs a known person', async () => {
    expect((await fetch(`${h.base}/api/notifications`)).status).toBe(400);
    expect((await fetch(`${h.base}/api/notifications?personId=nobody`)).status).toBe(404);
  });
});

describe('round trips', () => {
  it('a command returns the reply cards as HTML', async () => {
    const r = await api(h, 'command', { personId: pm().id, text: 'help' });
    expect(r.status).toBe(200);
    expect(r.json.cards.length).toBeGreaterThan(0);
    expect(r.json.cards[0]).toMatch(/^<article class="card">/);
    expect(r.json.cards.join('')).toContain('propose');
  });

  it('propose returns the intake form; submitting it creates the use case, a bad one returns form errors', async () => {
    const open = await api(h, 'command', { personId: pm().id, text: 'propose' });
    expect(open.json.form).toContain(`data-form-id="${INTAKE_FORM_ID}"`);
    expect(open.json.form).toContain(`name="${INTAKE_INPUTS.title}"`);

    const refused = await api(h, 'form', { personId: pm().id, formId: INTAKE_FORM_ID, values: { [INTAKE_INPUTS.title]: 'Half done' }, hidden: {} });
    expect(refused.status).toBe(200);
    expect(Object.keys(refused.json.formErrors ?? {})).not.toHaveLength(0);

    const values: Record<string, unknown> = { [INTAKE_INPUTS.title]: 'Console proposal', [INTAKE_INPUTS.description]: 'Drafts replies', [INTAKE_INPUTS.models]: '' };
    for (const [q, a] of Object.entries(ANSWERS_FOR.minimal)) values[questionInputId(q)] = typeof a === 'boolean' ? (a ? 'yes' : 'no') : a;
    const done = await api(h, 'form', { personId: pm().id, formId: INTAKE_FORM_ID, values, hidden: {} });
    expect(done.json.formErrors).toBeUndefined();
    const created = (await h.ctx.repos.useCases.list()).find((u) => u.title === 'Console proposal');
    expect(created).toBeDefined();
    expect(done.json.cards.join('')).toContain(created!.key);
  });

  it('advance, then the approver sees the notification stream and approves: the card comes back without buttons', async () => {
    const uc = await proposeTestUseCase(h.ctx, pm().id, 'minimal', { title: 'Stream me' });
    await api(h, 'command', { personId: pm().id, text: `advance ${uc.key}` });
    const approval = (await h.ctx.repos.approvals.list({ useCaseKey: uc.key }))[0];
    const approverId = approval.approverIds[0];

    const abort = new AbortController();
    const res = await fetch(`${h.base}/api/notifications?personId=${encodeURIComponent(approverId)}`, { signal: abort.signal });
    expect(res.headers.get('content-type')).toMatch(/text\/event-stream/);
    const reader = res.body!.getReader();
    let seen = '';
    const deadline = Date.now() + 10_000;
    while (!seen.includes(`approval.requested:${approval.key}:${approverId}`) && Date.now() < deadline) {
      const { value, done } = await reader.read();
      if (done) break;
      seen += Buffer.from(value).toString('utf8');
    }
    abort.abort();
    expect(seen).toContain('event: notification');
    const data = JSON.parse(seen.split('\n').find((l) => l.startsWith('data: ') && l.includes(approval.key))!.slice(6));
    expect(data.html).toContain(`data-action-id="${APPROVE_ACTION_ID}"`);

    const voted = await api(h, 'action', { personId: approverId, actionId: APPROVE_ACTION_ID, value: approval.key });
    expect(voted.status).toBe(200);
    expect(voted.json.updated).toContain(approval.key);
    expect(voted.json.updated).not.toContain(`data-action-id="${APPROVE_ACTION_ID}"`);
    expect((await h.ctx.repos.approvals.get(approval.key))!.votes.map((v) => v.personId)).toContain(approverId);
  });
});

describe('dashboard', () => {
  it('draws the KPIs as SVG bars with the real numbers', async () => {
    const uc = await proposeTestUseCase(h.ctx, pm().id, 'minimal', { title: 'Dashboard case' });
    // Through the first gate (every approver votes until it is decided): a completed stay.
    await api(h, 'command', { personId: pm().id, text: `advance ${uc.key}` });
    const first = (await h.ctx.repos.approvals.list({ useCaseKey: uc.key }))[0];
    for (const id of first.approverIds) {
      if ((await h.ctx.repos.approvals.get(first.key))!.status !== 'pending') break;
      expect((await api(h, 'action', { personId: id, actionId: APPROVE_ACTION_ID, value: first.key })).status).toBe(200);
    }
    expect((await h.ctx.repos.useCases.get(uc.key))!.stage).not.toBe('ideation');
    await api(h, 'command', { personId: pm().id, text: `advance ${uc.key}` });
    const pending = (await h.ctx.repos.approvals.list({ useCaseKey: uc.key })).find((a) => a.status === 'pending')!;
    expect(pending).toBeDefined();
    for (const sev of ['sev2', 'sev2', 'sev3']) {
      const r = await api(h, 'command', { personId: pm().id, text: `incident ${uc.key} ${sev} the bot leaked a prompt` });
      expect(r.status).toBe(200);
    }
    const incidents = await h.ctx.repos.incidents.list();
    const sev2 = incidents.filter((i) => i.severity === 'sev2').length;
    expect(sev2).toBeGreaterThanOrEqual(2);

    const res = await fetch(`${h.base}/dashboard`);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('<svg class="chart" data-chart="incidents-severity"');
    expect(html).toContain(`data-label="SEV2" data-value="${sev2}"`);
    expect(html).toContain(`data-label="SEV1" data-value="0"`);
    expect(html).toContain('<svg class="chart" data-chart="incidents-category"');
    expect(html).toContain('<svg class="chart" data-chart="approvals"');
    expect(html).toContain(`data-label="${pending.key} · ${uc.key}"`);
    expect(html).toMatch(/<svg class="chart" data-chart="cycle-time"[^]*?data-label="[^"]+" data-value="\d/);
    expect(html).toMatch(/data-chart="reviews"/);
    expect(html).not.toMatch(/<script(?![^>]*src="\/console\/assets\/console\.js")/);
  });
});

describe('shutdown', () => {
  it('an open notifications stream ends when the server stops, instead of holding the drain', async () => {
    const res = await fetch(`${h.base}/api/notifications?personId=${encodeURIComponent(pm().id)}`);
    const reader = res.body!.getReader();
    await reader.read(); // the stream is open
    const started = Date.now();
    await h.server.stop({ drainMs: 8000 });
    expect(Date.now() - started).toBeLessThan(4000);
    let done = false;
    while (!done) done = (await reader.read()).done;
  });
});
