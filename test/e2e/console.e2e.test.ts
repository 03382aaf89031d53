/**
 * The web console in a real headless browser (Debian's chromium driven by playwright-core):
 * a product manager proposes a use case through the intake form and requests the gate; the
 * approver sees the request arrive in their notifications and approves it with the button
 * (the card turns decided, without buttons); an incident is reported through the form; the
 * dashboard draws the charts. The layout is checked where people tripped over it: the help card's
 * description column, the intake form's choices, the notification buttons above the fold, and
 * no sideways scrolling at a phone's 390 px. The screenshots the README shows (chat with a card,
 * the dashboard, the intake form) are taken here, so they never go stale: docs/screenshots/.
 *
 * Skips (saying so) only when /usr/bin/chromium is missing outside CI; in CI it must run.
 */
import { existsSync, mkdirSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { APPROVE_ACTION_ID, INCIDENT_FORM_ID, INTAKE_FORM_ID } from '../../src/conversation/actions';
import { INCIDENT_INPUTS } from '../../src/conversation/cards/forms/incidentForm';
import { INTAKE_INPUTS, questionInputId } from '../../src/conversation/cards/forms/intakeForm';
import { useConsoleServer } from '../channels/console/harness';
import { ANSWERS_FOR } from '../support/usecases';

const CHROMIUM = '/usr/bin/chromium';
const available = existsSync(CHROMIUM);
if (!available && !process.env.CI) {
  // eslint-disable-next-line no-console
  console.warn(`console.e2e: SKIPPED, ${CHROMIUM} not found (install it with: apt-get install -y chromium). CI always runs this test.`);
}
const suite = available || process.env.CI ? describe : describe.skip;

jest.setTimeout(120_000);

suite('the web console in a browser', () => {
  const h = useConsoleServer({ NODE_ENV: 'development' });
  let browser: Browser;
  let page: Page;
  const problems: string[] = [];
  const shots = process.env.STEWARD_E2E_SCREENSHOTS ?? mkdtempSync(path.join(os.tmpdir(), 'steward-console-e2e-'));
  /** The README's pictures (committed): retaken by every run. */
  const docs = path.resolve(__dirname, '../../docs/screenshots');
  mkdirSync(docs, { recursive: true });

  beforeAll(async () => {
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    // Script errors and CSP violations would mean the page only looks like it works.
    page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(`console: ${m.text()}`);
    });
    page.on('response', (r) => {
      if (r.status() >= 400) problems.push(`HTTP ${r.status()} ${r.url()}`);
    });
  });
  afterAll(async () => {
    await browser?.close();
    process.stdout.write(`console.e2e: screenshots in ${shots}\n`);
  });
  afterEach(() => expect(problems.splice(0)).toEqual([]));

  /** Waits until a card in the transcript mentions `text`. */
  const inTranscript = (text: string) => page.locator('#transcript article.card', { hasText: text }).first().waitFor();
  const actAs = async (personId: string) => {
    await page.goto(`${h.base}`);
    await page.locator(`a.person[data-person-id="${personId}"]`).click();
    await page.waitForURL(/\/console\/chat\?personId=/);
    await page.locator('#feed-status', { hasText: 'live' }).waitFor();
  };

  it('lands on the person picker, which says what Steward is', async () => {
    await page.goto(h.base);
    expect(await page.locator('h1').textContent()).toBe('Welcome to Steward');
    expect(await page.locator('.intro p').count()).toBe(2);
    expect(await page.locator('a.person').count()).toBe(Object.keys(h.team).length);
    await page.screenshot({ path: path.join(shots, 'people.png'), fullPage: true });
  });

  it('a product manager proposes a use case through the intake form and requests the gate', async () => {
    const pm = h.team.llm_product_manager;
    await actAs(pm.id);
    await page.locator('button[data-command="propose"]').click();
    const form = page.locator(`form[data-form-id="${INTAKE_FORM_ID}"]`);
    await form.waitFor();
    await form.locator(`[name="${INTAKE_INPUTS.title}"]`).fill('Browser-proposed assistant');
    await form.locator(`[name="${INTAKE_INPUTS.description}"]`).fill('Drafts answers to internal IT questions for the helpdesk.');
    // Several-choice questions are groups of boxes with every option in full, never a native
    // multi-select; yes/no questions are two radio buttons with nothing preselected.
    expect(await form.locator('select[multiple]').count()).toBe(0);
    const radios = form.locator('fieldset.choices-radio');
    expect(await radios.count()).toBeGreaterThan(0);
    expect(await radios.locator('input:checked').count()).toBe(0);
    const boxes = form.locator('fieldset.choices-checkbox').first();
    expect(await boxes.locator('.choose-hint').textContent()).toBe('Choose all that apply.');
    for (const label of await boxes.locator('label.choice span').all()) {
      // The whole option text is visible: no box is clipped.
      expect(await label.evaluate((el) => el.scrollWidth <= el.clientWidth + 1)).toBe(true);
    }
    await boxes.scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(docs, 'intake-form.png') });
    // The minimal-risk answers, and the lowest-risk option of any required question they lack.
    const answers: Record<string, unknown> = { ...ANSWERS_FOR.minimal };
    for (const q of h.ctx.policy.risk.questions) {
      if (!q.required || q.id in answers) continue;
      const ids = (q.options ?? []).map((o) => o.id);
      answers[q.id] = q.kind === 'boolean' ? false : q.kind === 'multi_select' ? [ids.includes('none') ? 'none' : ids[0]] : q.kind === 'single_select' ? ids[0] : 'n/a';
    }
    for (const [question, answer] of Object.entries(answers)) {
      const name = questionInputId(question);
      const first = form.locator(`[name="${name}"]`).first();
      const kind = await first.evaluate((el) => `${el.tagName}:${(el as { type?: string }).type}`);
      const values = Array.isArray(answer) ? answer.map(String) : [typeof answer === 'boolean' ? (answer ? 'yes' : 'no') : String(answer)];
      if (kind === 'INPUT:radio' || kind === 'INPUT:checkbox') {
        for (const v of values) await form.locator(`[name="${name}"][value="${v}"]`).check();
      } else if (kind.startsWith('SELECT')) await first.selectOption(values);
      else await first.fill(values.join(', '));
    }
    await form.locator('button[type=submit]').click();

    const uc = await eventually(async () => (await h.ctx.repos.useCases.list()).find((u) => u.title === 'Browser-proposed assistant'));
    await inTranscript(uc.key);
    expect(uc.tier).toBe('minimal');

    await page.locator('#command').fill(`advance ${uc.key}`);
    await page.locator('#command').press('Enter');
    const approval = await eventually(async () => (await h.ctx.repos.approvals.list({ useCaseKey: uc.key }))[0]);
    await inTranscript(approval.key);
    await page.screenshot({ path: path.join(shots, 'chat-product-manager.png'), fullPage: true });
  });

  it('the shortcut chips run whoami, and start a search in the command box', async () => {
    const pm = h.team.llm_product_manager;
    await page.locator('button[data-command="whoami"]').click();
    await page.locator('#transcript article.card', { hasText: pm.name }).last().waitFor();
    await page.locator('button[data-prefill="search "]').click();
    expect(await page.locator('#command').inputValue()).toBe('search ');
    const uc = (await h.ctx.repos.useCases.list()).find((u) => u.title === 'Browser-proposed assistant')!;
    // Earlier replies name the use case too: wait for one more that does.
    const mentions = page.locator('#transcript .entry-bot', { hasText: uc.key });
    const before = await mentions.count();
    await page.locator('#command').pressSequentially('helpdesk');
    await page.locator('#command').press('Enter');
    await page.locator('#transcript .entry-bot', { hasText: uc.key }).nth(before).waitFor();
    expect(await page.locator('#transcript .entry-you').last().textContent()).toBe('search helpdesk');
  });

  it('the approver sees the request arrive in their feed and approves it with the button', async () => {
    const uc = (await h.ctx.repos.useCases.list()).find((u) => u.title === 'Browser-proposed assistant')!;
    const approval = (await h.ctx.repos.approvals.list({ useCaseKey: uc.key }))[0];
    const approverId = approval.approverIds[0];
    await actAs(approverId);

    const item = page.locator(`.feed-item[data-key="approval.requested:${approval.key}:${approverId}"]`);
    await item.waitFor({ timeout: 15_000 });
    expect(await item.textContent()).toContain(approval.key);
    // The vote buttons sit right under the card's title, inside the panel's visible part.
    const button = await item.locator(`button[data-action-id="${APPROVE_ACTION_ID}"]`).boundingBox();
    const feed = await page.locator('#feed').boundingBox();
    expect(button!.y + button!.height).toBeLessThanOrEqual(Math.min(900, feed!.y + feed!.height));
    await item.locator(`button[data-action-id="${APPROVE_ACTION_ID}"]`).click();

    // The card is replaced in place by the decided one: no buttons left.
    await item.locator('.badge', { hasText: /approved/i }).first().waitFor();
    expect(await item.locator('button').count()).toBe(0);
    expect((await h.ctx.repos.approvals.get(approval.key))!.status).toBe('approved');
    expect((await h.ctx.repos.useCases.get(uc.key))!.stage).toBe('prototype');
    await page.screenshot({ path: path.join(shots, 'chat-approver.png'), fullPage: true });
    await page.screenshot({ path: path.join(docs, 'chat-approval.png') });
  });

  it('an incident is reported through the form', async () => {
    const uc = (await h.ctx.repos.useCases.list()).find((u) => u.title === 'Browser-proposed assistant')!;
    await page.locator('button[data-command="incident"]').click();
    const form = page.locator(`form[data-form-id="${INCIDENT_FORM_ID}"]`);
    await form.waitFor();
    await form.locator(`[name="${INCIDENT_INPUTS.useCase}"]`).selectOption(uc.key);
    await form.locator(`[name="${INCIDENT_INPUTS.category}"]`).selectOption(h.ctx.policy.incidents.categories[0].id);
    await form.locator(`[name="${INCIDENT_INPUTS.severity}"]`).selectOption('sev2');
    await form.locator(`[name="${INCIDENT_INPUTS.description}"]`).fill('The assistant quoted an internal ticket to the wrong team.');
    await form.locator('button[type=submit]').click();
    const incident = await eventually(async () => (await h.ctx.repos.incidents.list()).find((i) => i.useCaseKey === uc.key));
    await inTranscript(incident.key);
    expect(incident.severity).toBe('sev2');
  });

  it('the dashboard draws the charts with the numbers', async () => {
    await page.locator('nav.top a', { hasText: 'Dashboard' }).click();
    await page.waitForURL(/\/console\/dashboard/);
    const severity = page.locator('svg[data-chart="incidents-severity"] g[data-label="SEV2"]');
    expect(await severity.getAttribute('data-value')).toBe('1');
    expect(await page.locator('svg[data-chart="incidents-category"] g.bar').count()).toBe(1);
    expect(await page.locator('svg[data-chart="cycle-time"] g.bar').count()).toBeGreaterThanOrEqual(1);
    const bar = await page.locator('svg[data-chart="incidents-severity"] g[data-label="SEV2"] rect').boundingBox();
    expect(bar!.width).toBeGreaterThan(50); // drawn, not just present in the markup
    await page.screenshot({ path: path.join(shots, 'dashboard.png'), fullPage: true });
    await page.screenshot({ path: path.join(docs, 'dashboard.png'), fullPage: true });
    // Tier names as the cards say them, and the median explained.
    expect(await page.locator('body').textContent()).toContain('half of the completed stays');
    expect(await page.locator('svg[data-chart="cycle-time"] g.bar').first().getAttribute('data-label')).toBeTruthy();
    expect(await page.locator('.masthead .tag').textContent()).not.toMatch(/local/);
  });

  it('the help card gives the descriptions at least 40 % of its width', async () => {
    await page.locator('nav.top a', { hasText: 'People' }).click();
    await actAs(h.team.llm_product_manager.id);
    await page.locator('#command').fill('help');
    await page.locator('#command').press('Enter');
    const card = page.locator('#transcript article.card', { hasText: 'Steward commands' }).last();
    await card.waitFor();
    const cardBox = (await card.boundingBox())!;
    const widths = await card.locator('.fields dd').evaluateAll((dds) => dds.map((d) => d.getBoundingClientRect().width));
    expect(widths.length).toBeGreaterThan(5);
    expect(Math.min(...widths)).toBeGreaterThanOrEqual(0.4 * cardBox.width - 32);
    // Nothing runs past the card's edge.
    expect(await card.evaluate((el) => el.scrollWidth <= el.clientWidth + 1)).toBe(true);
  });

  it('at a phone’s 390 px nothing scrolls sideways and the header spans the page', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    try {
      for (const where of ['/dashboard', '']) {
        await page.goto(`${h.base}${where}`);
        const scroll = await page.locator('html').evaluate((el) => el.scrollWidth);
        const header = await page.locator('.masthead').evaluate((el) => el.getBoundingClientRect().width);
        expect(scroll).toBeLessThanOrEqual(390);
        expect(header).toBe(scroll);
      }
    } finally {
      await page.setViewportSize({ width: 1280, height: 900 });
    }
  });
});

/** Polls the database until `check` finds something (the browser acts asynchronously). */
async function eventually<T>(check: () => Promise<T | undefined>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error('timed out waiting for the browser action to reach the database');
    await new Promise((r) => setTimeout(r, 100));
  }
}
