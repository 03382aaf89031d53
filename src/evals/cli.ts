/**
 * `npm run eval -- --model <name> --suite <id> [--base-url U --model-name M --api-key-env VAR] [--out reports/]`
 *
 * With MONGODB_URI set and the model in the registry, the registry's endpoint and prices are
 * used and the run is recorded (stored, gated, model status updated). Without a database, the
 * endpoint flags are enough: the run is gated against thresholds.yaml and reported, not stored.
 * Exit code: 0 gate passed, 1 gate failed, 2 could not run.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { Connection } from 'mongoose';
import { buildContext } from '../app/context';
import { auditSigningKeyFromEnv } from '../auditSigningKey';
import { assessRun } from '../domain/evals/assessRun';
import { recordEvalRun } from '../domain/evals/recordEvalRun';
import type { EvalAssessment } from '../domain/evals/types';
import { isDomainError } from '../domain/errors';
import { loadPolicy } from '../playbooks';
import { connectDatabase } from '../store/connection';
import { MongoEvalRunRepository } from '../store/evalRuns.repo';
import { MongoHistoryRepository } from '../store/history.repo';
import { MongoModelRepository } from '../store/models.repo';
import { endpointFromModel, resolveApiKey, type ModelEndpoint } from './endpoint';
import { DEFAULT_EVALS_DIR, loadSuites, loadThresholds } from './loadSuites';
import { renderJsonReport, renderMarkdownReport, renderProgressBar, renderSummaryTable } from './report';
import { runSuite, type EvalProgress } from './runner';

export interface CliIo {
  env: NodeJS.ProcessEnv;
  out: (text: string) => void;
  err: { write: (text: string) => unknown; isTTY?: boolean };
  cwd: string;
}

const USAGE = `usage: npm run eval -- --model <name> --suite <id> [--base-url URL --model-name NAME --api-key-env VAR]
  [--hosting self_hosted|hosted_api] [--price-in USD_PER_1K] [--price-out USD_PER_1K] [--judge-model-name NAME]
  [--concurrency N] [--timeout-ms MS] [--out reports/] [--suites-dir DIR] [--actor ID]`;

class CliError extends Error {}

function num(v: string | undefined, flag: string): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0) throw new CliError(`--${flag}: expected a number, got "${v}"`);
  return n;
}

export async function evalCli(argv: string[], io: CliIo): Promise<number> {
  let conn: Connection | undefined;
  try {
    const { values: f } = parseArgs({
      args: argv,
      options: {
        model: { type: 'string' },
        suite: { type: 'string' },
        'base-url': { type: 'string' },
        'model-name': { type: 'string' },
        'api-key-env': { type: 'string' },
        hosting: { type: 'string' },
        'price-in': { type: 'string' },
        'price-out': { type: 'string' },
        'judge-model-name': { type: 'string' },
        concurrency: { type: 'string' },
        'timeout-ms': { type: 'string' },
        out: { type: 'string', default: 'reports' },
        'suites-dir': { type: 'string' },
        actor: { type: 'string', default: 'cli' },
        help: { type: 'boolean' },
      },
      strict: true,
    });
    if (f.help) {
      io.out(USAGE + '\n');
      return 0;
    }
    if (!f.model || !f.suite) throw new CliError(`--model and --suite are required.\n${USAGE}`);
    if (f.hosting && f.hosting !== 'self_hosted' && f.hosting !== 'hosted_api') throw new CliError('--hosting: expected self_hosted or hosted_api');

    const dir = f['suites-dir'] ? path.resolve(io.cwd, f['suites-dir']) : DEFAULT_EVALS_DIR;
    const suites = loadSuites(dir);
    const suite = suites.get(f.suite);
    if (!suite) throw new CliError(`No suite "${f.suite}". Known: ${[...suites.keys()].join(', ')}.`);
    const thresholds = loadThresholds(dir)[suite.id];

    const flagEndpoint = (name: string, modelName: string | undefined): ModelEndpoint | undefined => {
      if (!f['base-url'] || !modelName) return undefined;
      return {
        name,
        baseUrl: f['base-url'],
        modelName,
        ...(f['api-key-env'] ? { apiKeyEnv: f['api-key-env'] } : {}),
        needsApiKey: (f.hosting ?? (f['api-key-env'] ? 'hosted_api' : 'self_hosted')) === 'hosted_api',
        pricePer1kInput: num(f['price-in'], 'price-in') ?? 0,
        pricePer1kOutput: num(f['price-out'], 'price-out') ?? 0,
      };
    };

    let models: MongoModelRepository | undefined;
    if (io.env.MONGODB_URI) {
      try {
        conn = await connectDatabase({ uri: io.env.MONGODB_URI, dbName: io.env.MONGODB_DB || 'steward', serverSelectionTimeoutMS: 3000 });
        models = new MongoModelRepository(conn, new MongoHistoryRepository(conn, auditSigningKeyFromEnv(io.env)));
      } catch (e) {
        if (!f['base-url']) throw new CliError(`Cannot reach the database at MONGODB_URI (${(e as Error).message}); pass --base-url and --model-name to run without it.`);
        io.err.write(`Database not reachable; running from the endpoint flags without recording.\n`);
      }
    }
    const registered = models ? await models.get(f.model) : null;
    const endpoint = registered ? endpointFromModel(registered) : flagEndpoint(f.model, f['model-name']);
    if (!endpoint) {
      throw new CliError(
        models
          ? `Model "${f.model}" is not in the registry. Register it, or pass --base-url and --model-name.`
          : `No database (MONGODB_URI) to look up "${f.model}": pass --base-url and --model-name.`,
      );
    }
    resolveApiKey(endpoint, io.env); // fail before any output if the key is missing
    const resolveJudge = async (name: string): Promise<ModelEndpoint | null> => {
      const m = models ? await models.get(name) : null;
      if (m) return endpointFromModel(m);
      return f['judge-model-name'] ? (flagEndpoint(name, f['judge-model-name']) ?? null) : null;
    };

    io.err.write(`Running ${suite.id} (${suite.cases.length} cases) against ${endpoint.name} at ${endpoint.baseUrl}\n`);
    let lastLine = -1;
    const onProgress = (p: EvalProgress) => {
      if (io.err.isTTY) io.err.write(`\r${renderProgressBar(p)}${p.done === p.total ? '\n' : ''}`);
      else {
        const decile = Math.floor((p.done / p.total) * 10);
        if (decile !== lastLine) {
          lastLine = decile;
          io.err.write(`${renderProgressBar(p)}\n`);
        }
      }
    };
    const concurrency = num(f.concurrency, 'concurrency');
    const timeoutMs = num(f['timeout-ms'], 'timeout-ms');
    const run = await runSuite({
      suite,
      endpoint,
      resolveJudge,
      onProgress,
      env: io.env,
      ...(concurrency ? { concurrency } : {}),
      ...(timeoutMs ? { timeoutMs } : {}),
    });

    let assessment: EvalAssessment | undefined;
    let recorded = false;
    if (registered && conn && thresholds) {
      const ctx = await buildContext({ conn, policy: loadPolicy(), auditSigningKey: auditSigningKeyFromEnv(io.env), leaveNotificationsToWorker: true });
      const result = await recordEvalRun(ctx, new MongoEvalRunRepository(conn), { run, thresholds, actorId: f.actor });
      assessment = result.assessment;
      recorded = true;
      if (result.statusChanged) io.err.write(`Model ${registered.name} is now ${result.status}.\n`);
    } else if (thresholds) {
      assessment = assessRun(run.metrics, thresholds);
    } else {
      io.err.write(`No thresholds for suite ${suite.id} in thresholds.yaml: reporting without a gate.\n`);
    }

    const outDir = path.resolve(io.cwd, f.out);
    mkdirSync(outDir, { recursive: true });
    const md = path.join(outDir, `${run.runId}.md`);
    const json = path.join(outDir, `${run.runId}.json`);
    writeFileSync(md, renderMarkdownReport(run, assessment));
    writeFileSync(json, renderJsonReport(run, assessment));

    io.out(`${renderSummaryTable(run, assessment)}\n\n`);
    io.out(`${recorded ? `Recorded as ${run.runId}.` : 'Not recorded (model not in the registry).'}\nReports: ${md}\n         ${json}\n`);
    return assessment && !assessment.passed ? 1 : 0;
  } catch (e) {
    const msg = e instanceof CliError || isDomainError(e) ? e.message : e instanceof Error ? e.message : String(e);
    io.err.write(`eval: ${msg}\n`);
    return 2;
  } finally {
    await conn?.close().catch(() => undefined);
  }
}
