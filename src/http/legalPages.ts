/**
 * GET /privacy and GET /terms: the Teams app manifest links both (developer.privacyUrl,
 * termsOfUseUrl), and Teams shows them to people before they add the app. The texts are the
 * operator's (PRIVACY_NOTICE_FILE, TERMS_OF_USE_FILE: plain text or simple Markdown), read
 * once at startup; unset, the page says none is published rather than inventing one.
 */
import { readFileSync } from 'node:fs';
import { type Request, type Response, Router } from 'express';
import type { LegalPagesConfig } from '../config';
import { escapeHtml } from '../conversation/render/html';

export const PRIVACY_PATH = '/privacy';
export const TERMS_PATH = '/terms';

export interface LegalTexts {
  privacy?: string;
  terms?: string;
}

/** Reads the configured files; a file that cannot be read stops startup, naming the variable. */
export function readLegalTexts(config: LegalPagesConfig): LegalTexts {
  const read = (variable: string, file?: string) => {
    if (!file) return undefined;
    try {
      return readFileSync(file, 'utf8');
    } catch (e) {
      throw new Error(`${variable}: cannot read ${file} (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
    }
  };
  const privacy = read('PRIVACY_NOTICE_FILE', config.privacyFile);
  const terms = read('TERMS_OF_USE_FILE', config.termsFile);
  return { ...(privacy?.trim() ? { privacy } : {}), ...(terms?.trim() ? { terms } : {}) };
}

/** Headings (#, ##), paragraphs and `- ` lists; everything else is text, escaped. */
export function renderText(text: string): string {
  return text
    .replace(/\r\n/g, '\n')
    .split(/\n{2,}/)
    .map((block) => block.trim())
    .filter(Boolean)
    .map((block) => {
      const heading = /^(#{1,3})\s+(.*)$/.exec(block);
      if (heading && !block.includes('\n')) return `<h${heading[1]!.length}>${escapeHtml(heading[2]!)}</h${heading[1]!.length}>`;
      const lines = block.split('\n');
      if (lines.every((l) => /^[-*]\s+/.test(l))) return `<ul>${lines.map((l) => `<li>${escapeHtml(l.replace(/^[-*]\s+/, ''))}</li>`).join('')}</ul>`;
      return `<p>${lines.map(escapeHtml).join('<br>')}</p>`;
    })
    .join('\n');
}

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Steward: ${escapeHtml(title)}</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:44rem;margin:2rem auto;padding:0 1rem;color:#1d2433}h1{font-size:1.6rem}</style>
</head><body>
${body}
</body></html>`;
}

const NOT_PUBLISHED = (what: string, variable: string) =>
  `<h1>${what}</h1>\n<p>The organisation running this Steward has not published its ${what.toLowerCase()} here yet. Ask your AI Centre of Excellence for it.</p>\n<!-- set ${variable} -->`;

export function legalPagesRouter(texts: LegalTexts): Router {
  const router = Router();
  const privacy = page('Privacy notice', texts.privacy ? renderText(texts.privacy) : NOT_PUBLISHED('Privacy notice', 'PRIVACY_NOTICE_FILE'));
  const terms = page('Terms of use', texts.terms ? renderText(texts.terms) : NOT_PUBLISHED('Terms of use', 'TERMS_OF_USE_FILE'));
  const send = (html: string) => (_req: Request, res: Response) => {
    // Nothing on these pages runs: no scripts, no frames.
    res.set({ 'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'", 'X-Content-Type-Options': 'nosniff', 'Cache-Control': 'public, max-age=300' });
    res.type('html').send(html);
  };
  router.get(PRIVACY_PATH, send(privacy));
  router.get(TERMS_PATH, send(terms));
  return router;
}
