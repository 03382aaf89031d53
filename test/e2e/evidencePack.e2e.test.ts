/**
 * The evidence pack in the web console, in a real headless browser (Debian's chromium driven by
 * playwright-core), with the process's own evidence module: `evidence pack UC-3` answers with a
 * card whose "Download PDF" link downloads a file that opens (a PDF that pdf-parse reads back,
 * with the Annex IV headings); `show UC-3` carries the readiness; the dashboard draws its chart.
 *
 * Skips (saying so) only when /usr/bin/chromium is missing outside CI; in CI it must run.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { chromium, type Browser, type BrowserContext, type Download, type Page } from 'playwright-core';
import type { AppContext } from '../../src/app/context';
import { buildContext } from '../../src/app/context';
import { seedDemo } from '../../src/app/seedDemo';
import { consoleModule } from '../../src/channels/console/console.module';
import { evidenceModule } from '../../src/evidence/evidence.module';
import { loadPolicy } from '../../src/playbooks';
import { buildServer, type RunningServer } from '../../src/server/buildServer';
import { MongoPackRepository } from '../../src/store/evidence.repo';
import { consoleConfig } from '../channels/console/harness';
import { pdfText } from '../evidence/support';
import { useTestDatabase } from '../support/db';

const CHROMIUM = '/usr/bin/chromium';
const available = existsSync(CHROMIUM);
if (!available && !process.env.CI) {
  // eslint-disable-next-line no-console
  console.warn(`evidencePack.e2e: SKIPPED, ${CHROMIUM} not found (install it with: apt-get install -y chromium). CI always runs this test.`);
}
const suite = available || process.env.CI ? describe : describe.skip;

jest.setTimeout(120_000);

/** A free local port, so PUBLIC_URL (which the signed download links use) names the server itself. */
const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });

suite('evidence packs in the web console', () => {
  const db = useTestDatabase();
  let ctx: AppContext;
  let server: RunningServer;
  let base: string;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const problems: string[] = [];
  const downloads: Download[] = [];

  beforeAll(async () => {
    ctx = await buildContext({ conn: db.conn, policy: loadPolicy() });
    await seedDemo(ctx);
    const port = await freePort();
    const config = { ...consoleConfig({ NODE_ENV: 'development', PUBLIC_URL: `http://127.0.0.1:${port}`, MONGODB_URI: db.uri, MONGODB_DB: db.dbName }), port };
    server = await buildServer(config, { conn: db.conn, modules: [evidenceModule, consoleModule], buildDomain: async () => ctx });
    base = `${server.url}/console`;
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    context = await browser.newContext({ acceptDownloads: true, viewport: { width: 1280, height: 900 } });
    // The download link opens in a new tab: its download is caught wherever it starts.
    const watch = (p: Page) => {
      p.on('download', (d) => downloads.push(d));
      p.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
      p.on('console', (m) => {
        if (m.type() === 'error') problems.push(`console: ${m.text()}`);
      });
    };
    context.on('page', watch);
    page = await context.newPage();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop({ drainMs: 200 });
  });
  afterEach(() => expect(problems.splice(0)).toEqual([]));

  const card = (text: string) => page.locator('#transcript article.card', { hasText: text }).last();
  const say = async (text: string) => {
    await page.locator('#command').fill(text);
    await page.locator('#command').press('Enter');
  };

  it('evidence pack UC-3 offers a PDF download that opens', async () => {
    const uc = (await ctx.repos.useCases.get('UC-3'))!;
    await page.goto(base);
    await page.locator(`a.person[data-person-id="${uc.ownerId}"]`).click();
    await page.waitForURL(/\/console\/chat\?personId=/);
    await say('evidence pack UC-3');
    const reply = card('Evidence pack UC-3 (version 1)');
    await reply.waitFor();
    const link = reply.locator('a.button', { hasText: 'Download PDF' });
    expect(await link.getAttribute('href')).toMatch(new RegExp(`^${server.url}/evidence/download\\?`));
    await link.click();
    const deadline = Date.now() + 30_000;
    while (!downloads.length && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect(downloads).toHaveLength(1);
    const file = downloads[0]!;
    expect(file.suggestedFilename()).toBe('UC-3-evidence-v1.pdf');
    const bytes = readFileSync((await file.path())!);
    expect(bytes.subarray(0, 5).toString()).toBe('%PDF-');
    const stored = (await new MongoPackRepository(db.conn).get('UC-3#1'))!;
    expect(bytes.equals(stored.pdf)).toBe(true);
    const text = pdfText(bytes);
    for (let point = 1; point <= 9; point++) expect(text).toContain(`Annex IV point ${point}`);
    expect(text).toContain('Manifest');
  });

  it('show UC-3 carries the readiness, and the dashboard draws the readiness chart', async () => {
    await say('show UC-3');
    const shown = card('EU AI Act readiness');
    await shown.waitFor();
    expect(await shown.textContent()).toMatch(/\d+ apply: \d+ met, \d+ missing; \d+ not yet applicable\./);
    await page.goto(`${base}/dashboard`);
    const chart = page.locator('svg[data-chart="readiness"]');
    await chart.waitFor();
    expect(await chart.locator('g.readiness-row[data-label="UC-3"]').count()).toBe(1);
  });
});
