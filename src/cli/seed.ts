/**
 * Seeds the demo organisation into the database at MONGODB_URI (database MONGODB_DB, default
 * "steward"), with nine months of backdated history. Finishes a seed that was interrupted;
 * does nothing once the demo is complete or when anyone else is registered.
 *   MONGODB_URI=mongodb://127.0.0.1:27017 npm run seed
 */
import { buildContext } from '../app/context';
import { DEMO_SEED_REFUSED } from '../app/demoSeedGuard';
import { seedDemoUntilComplete } from '../app/seedDemo';
import { loadPolicy } from '../playbooks';
import { connectDatabase } from '../store/connection';
import { cliAuditSigningKey } from './database';
import { runCli } from './runCli';

async function main(): Promise<number> {
  if (process.env.NODE_ENV === 'production') {
    console.error(DEMO_SEED_REFUSED);
    return 2;
  }
  const uri = process.env.MONGODB_URI;
  if (!uri) {
    console.error('MONGODB_URI is not set. Start a local database with `npm run db -- start` (it prints the URI), then:\n  MONGODB_URI=<that uri> npm run seed');
    return 2;
  }
  const auditSigningKey = cliAuditSigningKey();
  if (typeof auditSigningKey !== 'string') return auditSigningKey.exitCode;
  let conn;
  try {
    conn = await connectDatabase({ uri, dbName: process.env.MONGODB_DB || 'steward' });
  } catch (e) {
    console.error(`Cannot reach the database at MONGODB_URI (${e instanceof Error ? e.message : String(e)}). Start one with \`npm run db -- start\`.`);
    return 1;
  }
  try {
    const ctx = await buildContext({ conn, policy: loadPolicy(), auditSigningKey, leaveNotificationsToWorker: true });
    const summary = await seedDemoUntilComplete(ctx);
    if (!summary.seeded) {
      console.log('The demo organisation is complete, or other people are registered: nothing seeded.');
      return 0;
    }
    console.log(`${summary.resumed ? 'Finished seeding' : 'Seeded'} ${summary.people} people, models ${summary.models.join(', ')}.`);
    for (const u of summary.useCases) console.log(`  ${u.key}  ${u.stage.padEnd(12)} ${u.tier.padEnd(12)} ${u.title}`);
    console.log(`Open incidents: ${summary.incidents.join(', ')}; pending approval: ${summary.pendingApprovals.join(', ')}.`);
    return 0;
  } finally {
    await conn.close();
  }
}

runCli('Seeding', () => main());
