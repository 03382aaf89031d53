/**
 * A worker running one evaluation, as a process that test/evals/evalLease.crash.test.ts kills
 * with SIGKILL mid-run. Run as `node --import tsx evalCrashChild.ts` (one process, so the kill
 * hits the process doing the work). It builds the context as main.ts does and runs the
 * 'eval-run' job body for the request in EVAL_CRASH_PLAN; stdout: {t:'ready'}, then {t:'end',r}
 * if it ever finishes (it should not: it is killed first).
 */
import { buildContext } from '../../../src/app/context';
import { EndpointLimiters } from '../../../src/evals/limiter';
import { agendaEvalQueue } from '../../../src/evals/service/evalQueue';
import { bindEvalRuntime, createEvalRuntime, evalLeasesOn } from '../../../src/evals/service/evalRuntime';
import { executeEvalRun } from '../../../src/evals/service/executeEvalRun';
import { loadPolicy } from '../../../src/playbooks';
import { connectDatabase } from '../../../src/store/connection';
import { MongoEvalRunRepository } from '../../../src/store/evalRuns.repo';

interface Plan {
  uri: string;
  dbName: string;
  leaseMs: number;
  request: { modelName: string; suite: string; actorId: string; runKey: string };
}
const plan: Plan = JSON.parse(process.env.EVAL_CRASH_PLAN ?? '{}');
const say = (o: Record<string, unknown>) => process.stdout.write(`${JSON.stringify(o)}\n`);

async function main(): Promise<void> {
  const conn = await connectDatabase({ uri: plan.uri, dbName: plan.dbName });
  const ctx = await buildContext({ conn, policy: loadPolicy() });
  const rt = bindEvalRuntime(
    conn,
    createEvalRuntime(
      { evalRuns: new MongoEvalRunRepository(conn), queue: agendaEvalQueue(conn.db!), leases: evalLeasesOn(conn) },
      { limiters: new EndpointLimiters(), concurrency: 1, retry: { maxRetries: 0 }, leaseMs: plan.leaseMs },
    ),
  );
  say({ t: 'ready' });
  const r = await executeEvalRun(ctx, rt, plan.request);
  say({ t: 'end', r });
  await conn.close();
}

main().catch((e) => {
  say({ t: 'error', message: e instanceof Error ? e.stack ?? e.message : String(e) });
  process.exit(1);
});
