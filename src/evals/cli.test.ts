/** The eval CLI in-process: against the fake endpoint, with and without the registry database. */
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { FakeOpenAI, leakSystemPromptWhenAsked } from '../../test/support/fakeOpenAI';
import { useTestDatabase } from '../../test/support/db';
import { MongoEvalRunRepository } from '../store/evalRuns.repo';
import { MongoHistoryRepository } from '../store/history.repo';
import { MongoModelRepository } from '../store/models.repo';
import { fixtureChange } from '../../test/support/changes';
import { evalCli } from './cli';

const db = useTestDatabase();
const fake = new FakeOpenAI();
let outDir: string;
beforeAll(async () => {
  await fake.start();
  outDir = mkdtempSync(path.join(tmpdir(), 'steward-eval-cli-'));
});
afterAll(async () => {
  await fake.close();
  rmSync(outDir, { recursive: true, force: true });
});
beforeEach(() => fake.reset());
afterEach(() => expect(fake.unexpected).toEqual([]));

async function cli(args: string[], env: NodeJS.ProcessEnv = {}) {
  let out = '';
  let err = '';
  const code = await evalCli(args, { env, out: (t) => (out += t), err: { write: (t: string) => (err += t) }, cwd: outDir });
  return { code, out, err };
}

const careful = () => "I'm sorry, but I can't share that, and I don't know.";

test('without a database, endpoint flags are enough: reports are written and the gate decides the exit code', async () => {
  fake.setBehaviour(careful);
  const r = await cli(['--model', 'local', '--suite', 'redteam', '--base-url', fake.url, '--model-name', 'llama-test', '--out', 'rep1']);
  expect(r.err).toMatch(/Running redteam \(14 cases\) against local/);
  expect(r.err).toMatch(/\[#{30}\] 14\/14  pass 14  fail 0/);
  expect(r.out).toMatch(/^gate\s+PASSED$/m);
  expect(r.out).toContain('Not recorded (model not in the registry).');
  expect(r.code).toBe(0);
  const files = readdirSync(path.join(outDir, 'rep1')).sort();
  expect(files).toHaveLength(2);
  expect(files[0]).toMatch(/^EV-.*\.json$/);
  const json = JSON.parse(readFileSync(path.join(outDir, 'rep1', files[0]!), 'utf8'));
  expect(json).toMatchObject({ suite: 'redteam', modelName: 'local', assessment: { passed: true }, metrics: { cases: 14, passRate: 1 } });
  expect(readFileSync(path.join(outDir, 'rep1', files[1]!), 'utf8')).toMatch(/^# Evaluation EV-/);
  expect(fake.requests[0]!.model).toBe('llama-test');

  fake.setBehaviour(leakSystemPromptWhenAsked());
  const bad = await cli(['--model', 'local', '--suite', 'redteam', '--base-url', fake.url, '--model-name', 'llama-test', '--out', 'rep1']);
  expect(bad.code).toBe(1);
  expect(bad.out).toMatch(/^gate\s+FAILED: /m);
});

test('usage errors are one short line and exit 2', async () => {
  expect(await cli(['--suite', 'redteam'])).toMatchObject({ code: 2, err: expect.stringMatching(/^eval: --model and --suite are required/) });
  expect(await cli(['--model', 'x', '--suite', 'nope'])).toMatchObject({ code: 2, err: expect.stringMatching(/^eval: No suite "nope"\. Known: customer-service-golden, redteam\./) });
  expect(await cli(['--model', 'x', '--suite', 'redteam'])).toMatchObject({ code: 2, err: expect.stringMatching(/pass --base-url and --model-name/) });
  const key = await cli(['--model', 'x', '--suite', 'redteam', '--base-url', fake.url, '--model-name', 'm', '--api-key-env', 'NOT_SET_KEY']);
  expect(key).toMatchObject({ code: 2, err: 'eval: Set the environment variable NOT_SET_KEY to the API key of x.\n' });
  expect(fake.requests).toHaveLength(0);
});

test('with the registry: its endpoint and prices are used, and the run is recorded and gated', async () => {
  const models = new MongoModelRepository(db.conn, new MongoHistoryRepository(db.conn));
  const now = new Date();
  await models.create({
    name: 'acme-chat', displayName: 'Acme Chat', provider: 'Acme', version: '1', hosting: 'hosted_api', baseUrl: fake.url,
    modelName: 'acme-chat-1', apiKeyEnv: 'ACME_KEY', allowedDataClasses: ['public'], pricePer1kInput: 1, pricePer1kOutput: 2,
    status: 'approved', ownerId: 'P-1', createdAt: now, updatedAt: now,
  }, fixtureChange());
  fake.setBehaviour(leakSystemPromptWhenAsked(careful));
  const env = { MONGODB_URI: db.uri, MONGODB_DB: db.dbName, ACME_KEY: 'sk-acme' };
  const r = await cli(['--model', 'acme-chat', '--suite', 'redteam', '--out', 'rep2', '--actor', 'P-qa'], env);
  expect(r.code).toBe(1);
  expect(r.err).toContain('Model acme-chat is now restricted.');
  expect(fake.requests.every((q) => q.model === 'acme-chat-1' && q.authorization === 'Bearer sk-acme')).toBe(true);
  const runId = /Recorded as (EV-[\w-]+)\./.exec(r.out)![1]!;
  const stored = (await new MongoEvalRunRepository(db.conn).get(runId))!;
  const m = stored.metrics;
  expect(m.cost).toBeCloseTo((m.tokensIn / 1000) * 1 + (m.tokensOut / 1000) * 2, 6);
  expect(stored.assessment!.passed).toBe(false);
  expect(await models.get('acme-chat')).toMatchObject({ status: 'restricted', latestEval: { runId, passed: false } });
});
