/**
 * A scheduler worker as a real process whose only job hangs: the parent freezes it (SIGSTOP)
 * once the job has started, as a stalled VM or a process stuck in a blocking call would be.
 * A frozen process keeps its Agenda lock but can neither finish nor give up the job, nor compete
 * for it again, so another worker must take it over once the lock expires.
 *
 * Run as `node --import tsx frozenWorker.ts` with FROZEN_URI and FROZEN_DB; prints {"t":"hung"}
 * on stdout when the job starts.
 */
import { z } from 'zod';
import { buildContext } from '../../../src/app/context';
import { loadPolicy } from '../../../src/playbooks';
import { defineJob } from '../../../src/scheduler/job';
import { startWorker } from '../../../src/scheduler/worker';
import { connectDatabase } from '../../../src/store/connection';

async function main() {
  const conn = await connectDatabase({ uri: process.env.FROZEN_URI!, dbName: process.env.FROZEN_DB! });
  const ctx = await buildContext({ conn, policy: loadPolicy() });
  const hangingSweep = defineJob({
    name: 'reviews.sweep',
    every: '1 second',
    payload: z.object({}).strict(),
    run: () => {
      process.stdout.write(`${JSON.stringify({ t: 'hung' })}\n`);
      return new Promise(() => undefined);
    },
  });
  await startWorker(ctx, { name: 'frozen', jobs: [hangingSweep], lockLifetime: 1000, processEvery: 100, dispatchEveryMs: 0, routeEvents: false, sweepReactionsOnStart: false, every: { 'reviews.sweep': '1 second' } });
}

main().catch((e) => {
  process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`);
  process.exit(1);
});
