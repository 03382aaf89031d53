/**
 * The demo organisation registers made-up people, some of them AI CoE admins, and use cases
 * with approvals nobody gave. In a production database that would be a false audit trail and
 * a set of admin accounts anyone who reads the README can name, so it is refused there even
 * when asked for (STEWARD_SEED_DEMO=true, `npm run seed`).
 */
export const DEMO_SEED_REFUSED =
  'The demo organisation is never seeded in production (NODE_ENV=production): it would register made-up people, some with admin roles, and an audit trail of approvals nobody gave. Register real people with `npm run person` instead.';

export class DemoSeedRefused extends Error {
  constructor() {
    super(DEMO_SEED_REFUSED);
    this.name = 'DemoSeedRefused';
  }
}

/** Throws DemoSeedRefused in production; does nothing elsewhere. */
export function refuseDemoSeedInProduction(env: string | undefined): void {
  if (env === 'production') throw new DemoSeedRefused();
}
