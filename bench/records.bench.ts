/**
 * Write-model benchmark (`npm run bench:records`; not part of the test suite).
 * N changes sent at once, each to a DIFFERENT use case (evidence attached through the real
 * domain operation, its audit and reactions included): time until all are acknowledged.
 * Writes on different records must not queue behind one another (no global hotspot).
 * Reports the median and spread of BENCH_RUNS runs for each N in BENCH_SIZES (default 24,100).
 *
 * Database: MONGODB_URI if set, else scripts/db.sh starts one (mongod or FerretDB) in a
 * temporary folder and stops it afterwards. Only domain operations whose signatures are the
 * same before and after the write model changed are used, so the same file measures both.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buildContext } from '../src/app/context';
import { registerPerson } from '../src/domain/people/registerPerson';
import { attachEvidence } from '../src/domain/usecases/attachEvidence';
import { proposeUseCase } from '../src/domain/usecases/proposeUseCase';
import { loadPolicy } from '../src/playbooks';
import { connectDatabase } from '../src/store/connection';

const SIZES = (process.env.BENCH_SIZES ?? '24,100').split(',').map(Number);
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const root = path.resolve(__dirname, '..');

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

async function main(): Promise<void> {
  let dir: string | undefined;
  let uri = process.env.MONGODB_URI;
  if (!uri) {
    dir = mkdtempSync(path.join(tmpdir(), 'steward-bench-db-'));
    uri = execFileSync('bash', [path.join(root, 'scripts/db.sh'), 'start', '--dir', dir], { encoding: 'utf8' }).trim();
  }
  const conn = await connectDatabase({ uri, dbName: `bench_records_${process.pid}` });
  try {
    await conn.db!.dropDatabase();
    const ctx = await buildContext({ conn, policy: loadPolicy() });
    const policy = ctx.policy;
    const admin = await registerPerson(ctx, { actorId: 'system', name: 'Bench admin', email: 'admin@bench.example', roles: ['ai_coe_admin'] });
    const owner = await registerPerson(ctx, { actorId: admin.id, name: 'Bench owner', email: 'owner@bench.example', roles: ['llm_product_manager'] });
    const answers: Record<string, unknown> = {};
    for (const q of policy.risk.questions) {
      if (!q.required) continue;
      const ids = (q.options ?? []).map((o) => o.id);
      answers[q.id] = q.kind === 'boolean' ? false : q.kind === 'multi_select' ? (ids.includes('none') ? ['none'] : ids.slice(0, 1)) : q.kind === 'single_select' ? ids[0] : 'n/a';
    }
    answers.data_classes = ['personal']; // so the use case requires controls to attach evidence to
    const results: string[] = [];
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
      results.push(line);
    }
  } finally {
    await conn.db?.dropDatabase().catch(() => undefined);
    await conn.close();
    if (dir) {
      execFileSync('bash', [path.join(root, 'scripts/db.sh'), 'stop', '--dir', dir], { stdio: 'ignore' });
      rmSync(dir, { recursive: true, force: true });
    }
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
