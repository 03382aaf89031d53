/**
 * GET /privacy and GET /terms, which the Teams manifest links: the operator's texts from
 * PRIVACY_NOTICE_FILE / TERMS_OF_USE_FILE served as HTML (escaped: the file is text, never
 * markup), a plain notice when none is configured, and a startup error naming the variable when
 * a configured file cannot be read.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { RequestHandler } from 'express';
import { legalPagesModule } from '../../src/app/legalPages.module';
import { loadConfig } from '../../src/config';
import { createHttpApp } from '../../src/http/app';
import { PRIVACY_PATH, TERMS_PATH } from '../../src/http/legalPages';
import { silentLogger } from '../../src/logger';
import type { ModuleContext, StartedModule } from '../../src/server/module';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'steward-legal-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function serveWith(env: Record<string, string>): Promise<{ get: (p: string) => Promise<{ status: number; text: string; csp: string | null }>; close: () => Promise<void> }> {
  const started = (await legalPagesModule.start({ config: loadConfig(env) } as ModuleContext)) as StartedModule;
  const app = createHttpApp({ logger: silentLogger, readiness: async () => null, mounts: started.routes!.map((r) => ({ path: r.path, handler: r.handler as RequestHandler })) });
  const server: Server = app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    get: async (p) => {
      const res = await fetch(`${base}${p}`);
      return { status: res.status, text: await res.text(), csp: res.headers.get('content-security-policy') };
    },
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

describe('/privacy and /terms', () => {
  it('serve the configured texts as HTML, escaped, with headings, paragraphs and lists', async () => {
    const privacy = path.join(dir, 'privacy.md');
    writeFileSync(privacy, '# Privacy notice\n\nWe keep names & emails.\nNothing else.\n\n- chat ids\n- votes\n\n<script>alert(1)</script>\n');
    const s = await serveWith({ PRIVACY_NOTICE_FILE: privacy });
    try {
      const r = await s.get(PRIVACY_PATH);
      expect(r.status).toBe(200);
      expect(r.text).toContain('<h1>Privacy notice</h1>');
      expect(r.text).toContain('<p>We keep names &amp; emails.<br>Nothing else.</p>');
      expect(r.text).toContain('<ul><li>chat ids</li><li>votes</li></ul>');
      expect(r.text).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
      expect(r.text).not.toContain('<script>');
      expect(r.csp).toContain("default-src 'none'");
      const t = await s.get(TERMS_PATH);
      expect(t.status).toBe(200);
      expect(t.text).toMatch(/has not published its terms of use here yet/);
    } finally {
      await s.close();
    }
  });

  it('are the paths the Teams manifest links', () => {
    const manifest = JSON.parse(readFileSync(path.resolve(__dirname, '../../manifests/teams/manifest.json'), 'utf8'));
    expect(manifest.developer.privacyUrl).toBe(`\${{PUBLIC_URL}}${PRIVACY_PATH}`);
    expect(manifest.developer.termsOfUseUrl).toBe(`\${{PUBLIC_URL}}${TERMS_PATH}`);
  });

  it('a configured file that cannot be read stops startup, naming the variable', async () => {
    await expect(serveWith({ TERMS_OF_USE_FILE: path.join(dir, 'missing.md') })).rejects.toThrow(/TERMS_OF_USE_FILE: cannot read .*missing\.md \(ENOENT\)/);
  });
});
