/**
 * Evidence packs in the process: the evidence ports on the connection, the shared conversation's
 * `evidence …` commands, and (web role) the signed download route Teams and the console link to.
 */
import { extendConversation } from '../app/services';
import type { StewardModule } from '../server/module';
import { DOWNLOAD_PATH, downloadRouter, downloadUrl } from './downloadLinks';
import { obligationsWithPolicy } from './obligations';
import { createEvidencePorts } from './ports';

export const evidenceModule: StewardModule = {
  name: 'evidence',
  roles: ['web', 'worker'],
  async start({ config, conn, domain, logger }) {
    const ctx = await domain();
    const ports = createEvidencePorts(ctx, conn, { playbooksDir: config.playbooksDir, obligationsFor: obligationsWithPolicy(ctx.policy) });
    const signer = { sign: (body: string) => ctx.repos.audit.sign(body) };
    extendConversation(ctx, { evidence: { ports, downloadUrl: (packId, format) => downloadUrl(config.publicUrl, signer, ctx.clock, packId, format) } });
    return {
      routes: [{ path: DOWNLOAD_PATH, handler: downloadRouter({ packs: ports.packs, signer, clock: ctx.clock, onDownload: (packId, format) => logger.info({ packId, format }, 'evidence pack downloaded') }) }],
    };
  },
};
