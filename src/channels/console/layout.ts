/**
 * The HTML shell every console page shares, and the security headers that go with it. The
 * pages load one stylesheet and one script from /console/assets: nothing inline, nothing
 * external, so the Content-Security-Policy can be "self" only.
 */
import type { Response } from 'express';
import { escapeHtml } from '../../conversation/render/html';

export const CONSOLE_PATH = '/console';
export const ASSET_CSS = `${CONSOLE_PATH}/assets/console.css`;
export const ASSET_JS = `${CONSOLE_PATH}/assets/console.js`;
export const ASSET_ICON = `${CONSOLE_PATH}/assets/favicon.svg`;
/** A shield with a tick: the browser asks for an icon anyway, so it gets one of ours. */
export const FAVICON_SVG =
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><path d="M16 2 4 7v8c0 7.5 5.1 13.2 12 15 6.9-1.8 12-7.5 12-15V7z" fill="#2f5bd3"/><path d="m10 16 4.5 4.5L23 12" stroke="#fff" stroke-width="3" fill="none"/></svg>';

export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "object-src 'none'",
].join('; ');

/** Headers for every console response (pages, assets, API). */
export function securityHeaders(res: Response): void {
  res.setHeader('Content-Security-Policy', CONTENT_SECURITY_POLICY);
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Referrer-Policy', 'no-referrer');
  res.setHeader('X-Frame-Options', 'DENY');
  res.setHeader('Cache-Control', 'no-store');
}

export interface PageInput {
  title: string;
  /** Trusted HTML: callers escape what they put in. */
  body: string;
  /** data-* attributes for the client script (escaped here). */
  data?: Record<string, string>;
  /** Which nav link is current. */
  current?: 'people' | 'dashboard' | 'chat';
  /** Whether to show the navigation (not on the login page). */
  nav?: boolean;
}

function navigation(current: PageInput['current']): string {
  const link = (href: string, label: string, key: PageInput['current']) =>
    `<a href="${href}"${key === current ? ' aria-current="page"' : ''}>${label}</a>`;
  return `<nav class="top">${link(`${CONSOLE_PATH}`, 'People', 'people')}${link(`${CONSOLE_PATH}/dashboard`, 'Dashboard', 'dashboard')}</nav>`;
}

export function page({ title, body, data = {}, current, nav = true }: PageInput): string {
  const attrs = Object.entries(data)
    .map(([k, v]) => ` data-${k}="${escapeHtml(v)}"`)
    .join('');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} · Steward console</title>
<link rel="icon" type="image/svg+xml" href="${ASSET_ICON}">
<link rel="stylesheet" href="${ASSET_CSS}">
<script src="${ASSET_JS}" defer></script>
</head>
<body${attrs}>
<header class="masthead"><a class="brand" href="${CONSOLE_PATH}">Steward</a><span class="tag">AI governance console</span>${nav ? navigation(current) : ''}</header>
<main>
${body}
</main>
</body>
</html>
`;
}
