/**
 * Eval runner throughput: 500 cases at concurrency 8 against the local fake endpoint answering
 * in 50 ms. Ideal = 8 / 0.05 s = 160 cases/s; target >= 80% of it. Loopback only.
 *   npm run bench:eval
 */
import { fork, type ChildProcess } from 'node:child_process';
import { cpus, loadavg } from 'node:os';
import path from 'node:path';
import { EndpointLimiters } from '../src/evals/limiter';
import { runSuite } from '../src/evals/runner';
import { suiteSchema } from '../src/evals/suite.schema';

const CASES = 500;
const CONCURRENCY = 8;
const LATENCY_MS = 50;
const IDEAL = CONCURRENCY / (LATENCY_MS / 1000);
const TARGET = 0.8;

interface Stats {
  maxInFlight: number;
  requests: number;
  unexpected: number;
}

function ask<T>(child: ChildProcess, type: string, send?: object): Promise<T> {
  return new Promise((resolve, reject) => {
    const onMessage = (m: { type: string }) => {
      if (m.type === type) {
        child.off('message', onMessage);
        resolve(m as T);
      }
    };
    child.on('message', onMessage);
    child.once('exit', (code) => reject(new Error(`fake endpoint exited (${code})`)));
    if (send) child.send(send);
  });
}

async function main(): Promise<number> {
  // The fake endpoint runs in its own process (inheriting tsx's loader), on 127.0.0.1 only.
  const child = fork(path.join(__dirname, 'fakeOpenAI.child.ts'), [], { env: { ...process.env, FAKE_LATENCY_MS: String(LATENCY_MS) } });
  const { url } = await ask<{ url: string }>(child, 'ready');
  try {
    const suite = suiteSchema.parse({
      id: 'bench',
      name: 'Benchmark',
      kind: 'golden',
      systemPrompt: 'You are a benchmark.',
      canary: 'CANARY-bench-0000',
      cases: Array.from({ length: CASES }, (_, i) => ({
        id: `c${i}`,
        messages: [{ role: 'user', content: `question ${i}` }],
        assertions: [{ kind: 'contains', value: `question ${i}` }, { kind: 'regex', pattern: '^answer' }, { kind: 'max_latency_ms', value: 5000 }],
      })),
    });
    const cpu0 = process.cpuUsage();
    const run = await runSuite({
      suite,
      endpoint: { name: 'bench', baseUrl: url, modelName: 'bench-1', needsApiKey: false, pricePer1kInput: 0.001, pricePer1kOutput: 0.002 },
      concurrency: CONCURRENCY,
      limiters: new EndpointLimiters(),
    });
    const cpu = process.cpuUsage(cpu0);
    const fake = await ask<Stats>(child, 'stats', { type: 'stats' });
    const seconds = run.metrics.durationMs / 1000;
    const rate = CASES / seconds;
    const share = rate / IDEAL;
    const lines = [
      `eval runner benchmark: ${CASES} cases, concurrency ${CONCURRENCY}, endpoint latency ${LATENCY_MS} ms`,
      `  duration        ${seconds.toFixed(2)} s`,
      `  throughput      ${rate.toFixed(1)} cases/s (ideal ${IDEAL.toFixed(0)} cases/s) = ${(share * 100).toFixed(1)}% of ideal (target >= ${TARGET * 100}%)`,
      `  latency p50/p95 ${run.metrics.latencyP50Ms} / ${run.metrics.latencyP95Ms} ms`,
      `  passed          ${run.metrics.passed}/${run.metrics.cases}`,
      `  runner CPU      ${((cpu.user + cpu.system) / 1000 / CASES).toFixed(2)} ms per case (load average ${loadavg()[0]!.toFixed(1)} on ${cpus().length} cores)`,
      `  max in flight   ${fake.maxInFlight} (bound ${CONCURRENCY})`,
      `  unexpected      ${fake.unexpected}`,
    ];
    console.log(lines.join('\n'));
    const ok = share >= TARGET && run.metrics.passed === CASES && fake.maxInFlight <= CONCURRENCY && fake.unexpected === 0;
    console.log(ok ? 'PASS' : 'FAIL');
    return ok ? 0 : 1;
  } finally {
    child.send({ type: 'stop' });
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (e) => {
    console.error(e instanceof Error ? e.message : e);
    process.exitCode = 1;
  },
);
