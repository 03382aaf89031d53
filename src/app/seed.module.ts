/**
 * Loads the demo organisation into an empty database (STEWARD_SEED_DEMO, on by default in
 * development), so a newcomer who runs `npm start` meets a living system: people in every
 * role, nine months of use cases moving through their gates, registry models, a stalled pilot,
 * overdue reviews, a serious incident and a pending approval (src/app/seedDemo.ts).
 *
 * A start stopped during the seed leaves it unfinished; the next start finishes it. Web and
 * worker processes may start together, so one seeds at a time under a lease made of unique
 * claims, one per minute (`demo-seed:lease:<minute>`): the seeder claims the minutes ahead of
 * it as it goes, and a process that finds the current minute taken tries again later, so a
 * seeder that died frees the lease within a few minutes without anyone releasing it.
 */
import type { DomainContext } from '../domain/ports';
import type { StewardModule } from '../server/module';
import { refuseDemoSeedInProduction } from './demoSeedGuard';
import { demoSeedNeeded, seedDemoUntilComplete } from './seedDemo';

const MINUTE_MS = 60_000;
/** Minutes claimed ahead of the current one: longer than any one seed step takes. */
const LEASE_AHEAD = 2;
const RETRY_MS = 20_000;

class LeaseLost extends Error {}

/** The seeding lease: true once this process holds the current minute and the next ones. */
function seedLease(ctx: DomainContext) {
  const mine = new Set<number>();
  return async (): Promise<boolean> => {
    const now = Math.floor(ctx.clock.now().getTime() / MINUTE_MS);
    for (let m = now; m <= now + LEASE_AHEAD; m++) {
      if (mine.has(m)) continue;
      if (!(await ctx.repos.claims.claim(`demo-seed:lease:${m}`))) return false;
      mine.add(m);
    }
    return true;
  };
}

export const seedModule: StewardModule = {
  name: 'demo-seed',
  roles: ['web', 'worker'],
  enabled: (config) => config.seedDemo,
  async start({ config, domain, logger }) {
    // config.ts already refuses STEWARD_SEED_DEMO in production; this holds should the module be enabled another way.
    refuseDemoSeedInProduction(config.env);
    const ctx = await domain();
    // The usual start (seeded long ago, or a real organisation) claims nothing.
    if (!(await demoSeedNeeded(ctx))) return;
    let timer: NodeJS.Timeout | undefined;
    let stopped = false;
    const attempt = async (): Promise<void> => {
      const lease = seedLease(ctx);
      if (!(await lease())) {
        // Another process is seeding (or died doing so this minute): look again later.
        if (!stopped) timer = setTimeout(() => void attempt().catch((e) => logger.error({ err: e }, 'demo seed failed')), RETRY_MS).unref();
        return;
      }
      const summary = await seedDemoUntilComplete(ctx, {
        beforeStep: async () => {
          if (stopped || !(await lease())) throw new LeaseLost('the demo seed lease passed to another process');
        },
      }).catch((e: unknown) => {
        if (e instanceof LeaseLost) return null;
        throw e;
      });
      if (summary?.seeded) {
        logger.info({ people: summary.people, useCases: summary.useCases.length, models: summary.models, resumed: summary.resumed }, 'demo organisation loaded');
      }
    };
    await attempt();
    return {
      stop: () => {
        stopped = true;
        if (timer) clearTimeout(timer);
      },
    };
  },
};
