/**
 * Signed, expiring download links for stored packs, served by the web process: what Teams (and
 * the console) give a person instead of an upload. The signature is the audit trail's HMAC over
 * pack, format and expiry, so a link cannot be altered to reach another pack or to live longer.
 */
import { timingSafeEqual } from 'node:crypto';
import type { Router } from 'express';
import express from 'express';
import { z } from 'zod';
import type { PackRepository } from '../domain/evidence/ports';
import type { Clock } from '../domain/ports';

export const DOWNLOAD_PATH = '/evidence/download';
/** How long a link works: long enough to open from a chat later that day. */
export const LINK_TTL_MS = 24 * 3600_000;

export interface LinkSigner {
  sign(body: string): string;
}

const bodyOf = (packId: string, format: string, expires: number): string => `evidence-download\n${packId}\n${format}\n${expires}`;

export function downloadUrl(publicUrl: string, signer: LinkSigner, clock: Clock, packId: string, format: 'pdf' | 'md'): string {
  const expires = Math.floor((clock.now().getTime() + LINK_TTL_MS) / 1000);
  const q = new URLSearchParams({ p: packId, f: format, e: String(expires), s: signer.sign(bodyOf(packId, format, expires)) });
  return `${publicUrl.replace(/\/$/, '')}${DOWNLOAD_PATH}?${q.toString()}`;
}

const querySchema = z.object({
  p: z.string().regex(/^UC-\d+#\d+$/),
  f: z.enum(['pdf', 'md']),
  e: z.string().regex(/^\d{1,12}$/),
  s: z.string().regex(/^[0-9a-f]{16,128}$/),
});

const same = (a: string, b: string): boolean => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

export function downloadRouter(deps: { packs: PackRepository; signer: LinkSigner; clock: Clock; onDownload?: (packId: string, format: string) => void }): Router {
  const router = express.Router();
  router.get('/', async (req, res, next) => {
    try {
      const q = querySchema.safeParse(req.query);
      if (!q.success) return void res.status(400).type('text/plain').send('This download link is not valid.');
      const { p, f, e, s } = q.data;
      if (!same(s, deps.signer.sign(bodyOf(p, f, Number(e))))) return void res.status(403).type('text/plain').send('This download link is not valid.');
      if (Number(e) * 1000 < deps.clock.now().getTime()) return void res.status(410).type('text/plain').send('This download link has expired; ask for the pack again (evidence pack UC-n).');
      const pack = await deps.packs.get(p);
      if (!pack) return void res.status(404).type('text/plain').send('This pack is not stored here.');
      const name = `${pack.manifest.useCaseKey}-evidence-v${pack.manifest.version}.${f}`;
      deps.onDownload?.(p, f);
      res.status(200).set({ 'content-disposition': `attachment; filename="${name}"`, 'cache-control': 'private, no-store', 'x-content-type-options': 'nosniff' });
      if (f === 'pdf') res.type('application/pdf').send(pack.pdf);
      else res.type('text/markdown; charset=utf-8').send(pack.markdown);
    } catch (err) {
      next(err);
    }
  });
  return router;
}
