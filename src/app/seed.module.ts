/**
 * Loads the demo organisation into an empty database (STEWARD_SEED_DEMO, on by default in
 * development), so a newcomer who runs `npm start` meets a living system: people in every
 * role, use cases across stages and tiers, registry models, an open incident and approval.
 */
import type { StewardModule } from '../server/module';
import { refuseDemoSeedInProduction } from './demoSeedGuard';
import { seedDemoIfEmpty } from './seedDemo';

export const seedModule: StewardModule = {
  name: 'demo-seed',
  roles: ['web', 'worker'],
  enabled: (config) => config.seedDemo,
  async start({ config, domain, logger }) {
    // config.ts already refuses STEWARD_SEED_DEMO in production; this holds should the module be enabled another way.
    refuseDemoSeedInProduction(config.env);
    const ctx = await domain();
    // Web and worker processes may start together on an empty database: one seeds.
    if ((await ctx.repos.people.list()).length > 0 || !(await ctx.repos.claims.claim('demo-seed'))) return;
    const summary = await seedDemoIfEmpty(ctx);
    logger.info({ people: summary.people, useCases: summary.useCases.length, models: summary.models }, 'demo organisation loaded');
  },
};
