/**
 * Write-model benchmark (`npm run bench:records`; not part of the test suite).
 * N changes sent at once, each to a DIFFERENT use case (evidence attached through the real
 * domain operation, its audit and reactions included): time until all are acknowledged.
 * Writes on different records must not queue behind one another (no global hotspot).
 * Reports the median and spread of BENCH_RUNS runs for each N in BENCH_SIZES (default 24,100).
 *
 * Database: see bench/support/benchDatabase.ts. Only domain operations whose signatures are the
 * same before and after the write model changed are used, so the same file (with bench/support) measures both.
 */
import { buildContext } from '../src/app/context';
import { baselineAnswers } from '../src/app/seedDemo';
import { registerPerson } from '../src/domain/people/registerPerson';
import { attachEvidence } from '../src/domain/usecases/attachEvidence';
import { proposeUseCase } from '../src/domain/usecases/proposeUseCase';
import { loadPolicy } from '../src/playbooks';
import { openBenchDatabase } from './support/benchDatabase';

const SIZES = (process.env.BENCH_SIZES ?? '24,100').split(',').map(Number);
const RUNS = Number(process.env.BENCH_RUNS ?? 5);

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

async function main(): Promise<void> {
  const db = await openBenchDatabase('records');
  try {
    const ctx = await buildContext({ conn: db.conn, policy: loadPolicy() });
    const admin = await registerPerson(ctx, { actorId: 'system', name: 'Bench admin', email: 'admin@bench.example', roles: ['ai_coe_admin'] });
    const owner = await registerPerson(ctx, { actorId: admin.id, name: 'Bench owner', email: 'owner@bench.example', roles: ['llm_product_manager'] });
    // Personal data, so the use case requires controls to attach evidence to.
    const answers = baselineAnswers({ data_classes: ['personal'] });
    for (const n of SIZES) {
      // Setup (not timed): n use cases.
      const keys: string[] = [];
      for (let i = 0; i < n; i++) keys.push((await proposeUseCase(ctx, { actorId: owner.id, title: `Bench ${n}/${i}`, answers })).key);
      const control = (await ctx.repos.useCases.get(keys[0]!))!.requiredControls[0]!;
      const times: number[] = [];
      for (let run = 0; run < RUNS; run++) {
        const t0 = performance.now();
        await Promise.all(keys.map((key, i) => attachEvidence(ctx, { actorId: owner.id, key, controlId: control, url: `https://bench.example/${n}/${run}/${i}` })));
        times.push(performance.now() - t0);
      }
      const line = `${n} concurrent writes on ${n} records: median ${(median(times) / 1000).toFixed(2)} s, min ${(Math.min(...times) / 1000).toFixed(2)} s, max ${(Math.max(...times) / 1000).toFixed(2)} s (${RUNS} runs)`;
      console.log(line);
    }
  } finally {
    await db.close();
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
