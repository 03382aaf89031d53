/**
 * `npm run evidence:verify -- <file>` as an operator runs it: a pack just built verifies as
 * current; after a change to the use case it names the change (exit 3); an altered file or a
 * stranger's PDF is refused (exit 1).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buildContext, type AppContext } from '../../src/app/context';
import { seedDemo } from '../../src/app/seedDemo';
import { generatePack } from '../../src/domain/evidence/generatePack';
import { attachEvidence } from '../../src/domain/usecases/attachEvidence';
import { loadPolicy } from '../../src/playbooks';
import { TestClock } from '../support/clock';
import { useTestDatabase } from '../support/db';
import { runScript } from '../domain/scriptRunner';
import { evidencePorts } from './support';

// The demo seed writes nine months of history: far more than 30 s on a loaded machine.
jest.setTimeout(120_000);

const db = useTestDatabase();
const clock = new TestClock(new Date('2026-09-01T09:00:00Z'));
let ctx: AppContext;
const dir = mkdtempSync(path.join(tmpdir(), 'verify-'));
const env = () => ({ MONGODB_URI: db.uri, MONGODB_DB: db.dbName });

beforeAll(async () => {
  ctx = await buildContext({ conn: db.conn, policy: loadPolicy(), clock });
  await seedDemo(ctx);
});

it('builds, then names a later change to the use case; refuses an altered Markdown', async () => {
  const ports = evidencePorts(ctx);
  const owner = (await ctx.repos.useCases.get('UC-3'))!.ownerId;
  const pack = await generatePack(ctx, ports, { actorId: owner, key: 'UC-3' });
  const pdf = path.join(dir, 'pack.pdf');
  const md = path.join(dir, 'pack.md');
  writeFileSync(pdf, pack.pdf);
  writeFileSync(md, pack.markdown);

  const fresh = await runScript('evidence-verify.ts', [pdf], env());
  expect(fresh.stdout).toContain(`AUTHENTIC: ${pack.manifest.packId}`);
  expect(fresh.stdout).toContain('has not changed');
  expect(fresh.code).toBe(0);

  clock.advanceDays(3);
  await attachEvidence(ctx, { actorId: owner, key: 'UC-3', controlId: 'CTL-LOGGING', url: 'https://wiki.example.com/logging' });
  const changed = await runScript('evidence-verify.ts', [md], env());
  expect(changed.code).toBe(3);
  expect(changed.stdout).toMatch(/Changed since it was built \(1\):\n {2}- UC-3 v\d+: usecase\.evidence_attached \(controlId, url\)/);

  writeFileSync(md, pack.markdown.replace('CV screening assistant', 'CV screening wizard'));
  const altered = await runScript('evidence-verify.ts', [md], env());
  expect(altered.code).toBe(1);
  expect(altered.stdout).toContain('NOT AUTHENTIC');
  expect(altered.stdout).toContain('Markdown body was altered');

  const stranger = path.join(dir, 'other.pdf');
  writeFileSync(stranger, '%PDF-1.3\n1 0 obj\n<< >>\nendobj\n');
  const other = await runScript('evidence-verify.ts', [stranger], env());
  expect(other.code).toBe(1);
  expect(other.stdout).toContain('not a Steward evidence pack');
}, 120_000);
