/**
 * The console in production: off unless enabled, and then every page and API call needs a
 * token (bearer header, or the cookie the login form sets). Here only the shared
 * CONSOLE_AUTH_TOKEN is configured, which is read-only (personalTokens.test.ts covers acting).
 */
import { consoleModule } from '../../../src/channels/console/console.module';
import { CONSOLE_COOKIE, readCookie, tokensEqual } from '../../../src/channels/console/auth';
import { consoleConfig, useConsoleServer } from './harness';

const TOKEN = 'console-token-for-tests-0123456789';
const h = useConsoleServer({ NODE_ENV: 'production', PUBLIC_URL: 'https://steward.example.com', CONSOLE_ENABLED: 'true', CONSOLE_AUTH_TOKEN: TOKEN });
const bearer = { Authorization: `Bearer ${TOKEN}` };

describe('production with the console enabled', () => {
  it('pages answer 401 (the login page) without the token and 200 with it', async () => {
    for (const path of ['', '/dashboard', `/chat?personId=${h.team.llm_product_manager.id}`]) {
      const anon = await fetch(`${h.base}${path}`);
      expect(anon.status).toBe(401);
      const html = await anon.text();
      expect(html).toMatch(/Sign in/);
      expect(html).not.toContain(h.team.llm_product_manager.name);
      expect((await fetch(`${h.base}${path}`, { headers: { Authorization: 'Bearer wrong-token-wrong-token-000' } })).status).toBe(401);
      expect((await fetch(`${h.base}${path}`, { headers: bearer })).status).toBe(200);
    }
  });

  it('the API answers 401 JSON without the token, 403 read-only with the shared one', async () => {
    const body = JSON.stringify({ personId: h.team.llm_product_manager.id, text: 'help' });
    const anon = await fetch(`${h.base}/api/command`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body });
    expect(anon.status).toBe(401);
    expect(((await anon.json()) as any).error.code).toBe('console.unauthorized');
    expect((await fetch(`${h.base}/api/notifications?personId=${h.team.llm_product_manager.id}`)).status).toBe(401);
    const shared = await fetch(`${h.base}/api/command`, { method: 'POST', headers: { 'Content-Type': 'application/json', ...bearer }, body });
    expect(shared.status).toBe(403);
    expect(((await shared.json()) as any).error.code).toBe('console.read_only');
  });

  it('the login form refuses a wrong token and sets an HttpOnly cookie for the right one', async () => {
    const wrong = await fetch(`${h.base}/login`, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: 'token=nope', redirect: 'manual' });
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get('set-cookie')).toBeNull();
    const right = await fetch(`${h.base}/login`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: `token=${encodeURIComponent(TOKEN)}`,
      redirect: 'manual',
    });
    expect(right.status).toBe(303);
    const setCookie = right.headers.get('set-cookie')!;
    expect(setCookie).toMatch(/HttpOnly/);
    expect(setCookie).toMatch(/SameSite=Strict/);
    expect(setCookie).toMatch(/; Secure/); // PUBLIC_URL is https (and production requires PUBLIC_URL)
    const cookie = setCookie.split(';')[0];
    expect((await fetch(h.base, { headers: { Cookie: cookie } })).status).toBe(200);
    expect((await fetch(h.base, { headers: { Cookie: `${CONSOLE_COOKIE}=guess` } })).status).toBe(401);
  });

  it('the login page and assets are reachable without the token', async () => {
    expect((await fetch(`${h.base}/login`)).status).toBe(200);
    expect((await fetch(`${h.base}/assets/console.css`)).status).toBe(200);
  });
});

describe('module switch and helpers', () => {
  it('production leaves the console off unless CONSOLE_ENABLED=true', () => {
    const off = consoleConfig({ NODE_ENV: 'production', PUBLIC_URL: 'https://steward.example.com', MONGODB_URI: 'mongodb://127.0.0.1:1/x' });
    expect(consoleModule.enabled!(off)).toBe(false);
    const dev = consoleConfig({ NODE_ENV: 'development' });
    expect(consoleModule.enabled!(dev)).toBe(true);
  });

  it('compares tokens exactly and reads cookies', () => {
    expect(tokensEqual(TOKEN, TOKEN)).toBe(true);
    expect(tokensEqual(TOKEN, `${TOKEN}x`)).toBe(false);
    expect(tokensEqual('', TOKEN)).toBe(false);
    expect(readCookie(`a=1; ${CONSOLE_COOKIE}=x%20y; b=2`, CONSOLE_COOKIE)).toBe('x y');
    expect(readCookie('a=1', CONSOLE_COOKIE)).toBeUndefined();
  });
});
