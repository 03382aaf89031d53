/** A local web process serving only the signed download route, and the evidence deps pointing at it. */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import type { AppContext } from '../../src/app/context';
import type { EvidenceService } from '../../src/conversation/handlers';
import type { EvidencePorts } from '../../src/domain/evidence/ports';
import { DOWNLOAD_PATH, downloadRouter, downloadUrl } from '../../src/evidence/downloadLinks';

export interface DownloadServer {
  base: string;
  service: EvidenceService;
  stop(): Promise<void>;
}

/**
 * The evidence service for a chat harness, built when the harness builds its conversation; its
 * links point at the download server started later (`start`).
 */
export function lazyDownloads(makePorts: (ctx: AppContext) => EvidencePorts) {
  let server: DownloadServer | undefined;
  let ctxRef: AppContext | undefined;
  let portsRef: EvidencePorts | undefined;
  return {
    deps: (ctx: AppContext) => {
      ctxRef = ctx;
      portsRef = makePorts(ctx);
      const signer = { sign: (body: string) => ctx.repos.audit.sign(body) };
      return { evidence: { ports: portsRef, downloadUrl: (packId: string, format: 'pdf' | 'md') => downloadUrl(server!.base, signer, ctx.clock, packId, format) } };
    },
    start: async () => (server = await startDownloads(ctxRef!, portsRef!)),
    stop: async () => server?.stop(),
    get ports() {
      return portsRef!;
    },
  };
}

export async function startDownloads(ctx: AppContext, ports: EvidencePorts): Promise<DownloadServer> {
  const signer = { sign: (body: string) => ctx.repos.audit.sign(body) };
  const app = express();
  app.use(DOWNLOAD_PATH, downloadRouter({ packs: ports.packs, signer, clock: ctx.clock }));
  const server: Server = app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    base,
    service: { ports, downloadUrl: (packId, format) => downloadUrl(base, signer, ctx.clock, packId, format) },
    stop: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
