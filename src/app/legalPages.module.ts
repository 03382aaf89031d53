/**
 * GET /privacy and GET /terms (src/http/legalPages.ts) on the web role, whatever channels are
 * enabled: the Teams manifest links them, and an admin reviews them before allowing the app.
 */
import { legalPagesRouter, readLegalTexts } from '../http/legalPages';
import type { StewardModule } from '../server/module';

export const legalPagesModule: StewardModule = {
  name: 'legal-pages',
  roles: ['web'],
  start({ config }) {
    const router = legalPagesRouter(readLegalTexts(config.legal));
    return { routes: [{ path: '/', handler: router }] };
  },
};
