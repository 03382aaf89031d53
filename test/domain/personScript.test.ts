/**
 * `npm run person`: registering the first admin of a production deployment from the command
 * line, run as a child process against the real database, with the audit trail checked.
 */
import { verifyAudit } from '../../src/domain/audit/verifyAudit';
import { createRepositories } from '../../src/store';
import { useTestDatabase } from '../support/db';
import { runScript } from './scriptRunner';

// Each case starts tsx child processes, which is slow on a loaded machine (the full suite).
jest.setTimeout(120_000);

const db = useTestDatabase();
const person = (...args: string[]) => runScript('person.ts', args, { MONGODB_URI: db.uri, MONGODB_DB: db.dbName });
const repos = () => createRepositories(db.conn);
const AAD = '5f0c1a2b-3c4d-4e5f-8a9b-0c1d2e3f4a5b';

/** No stack trace reaches the operator. */
const noStack = (text: string) => expect(text).not.toMatch(/^\s+at /m);

it('lists nobody on an empty database and names the command for the first admin', async () => {
  const r = await person('list');
  expect(r.code).toBe(0);
  expect(r.stdout).toMatch(/Nobody is registered yet/);
  expect(r.stdout).toContain('npm run person -- add');
});

it('registers the first AI CoE admin, with the audit entry by the system actor', async () => {
  const r = await person('add', '--email', 'Ada@Example.com', '--name', 'Ada Lovelace', '--roles', 'ai_coe_admin,ai_governance_legal', '--slack', 'U012ADA', '--teams', AAD);
  expect(r).toMatchObject({ code: 0, stderr: '' });
  expect(r.stdout).toMatch(/^Registered Ada Lovelace <ada@example.com> as ai_coe_admin, ai_governance_legal \(id [0-9a-f-]{36}\)\./);

  const stored = await repos().people.findByEmail('ada@example.com');
  expect(stored).toMatchObject({ name: 'Ada Lovelace', roles: ['ai_coe_admin', 'ai_governance_legal'], slackUserId: 'U012ADA', teamsAadObjectId: AAD });
  const entries = [];
  for await (const e of repos().audit.all()) entries.push(e);
  expect(entries).toHaveLength(1);
  expect(entries[0]).toMatchObject({ stream: `person:${stored!.id}`, version: 1, actorId: 'system', action: 'person.registered', subject: stored!.id });
  // The name is in the trail sealed with the person's key (erasable: src/store/personVault.ts), not in clear.
  expect(entries[0]!.data).toMatchObject({ name: expect.stringMatching(/^pii:v1:/), roles: ['ai_coe_admin', 'ai_governance_legal'], slack: true, teams: true });
  expect((await verifyAudit(repos().audit)).ok).toBe(true);
});

it('refuses a duplicate email and an unknown role in one line, without a stack trace or a write', async () => {
  const dup = await person('add', '--email', 'ada@example.com', '--name', 'Ada Again', '--roles', 'ai_coe_admin');
  expect(dup.code).toBe(1);
  expect(dup.stderr.trim()).toBe('Refused: Someone is already registered with email ada@example.com.');
  noStack(dup.stderr);

  const role = await person('add', '--email', 'bob@example.com', '--name', 'Bob', '--roles', 'ai_coe_admin,overlord');
  expect(role.code).toBe(1);
  expect(role.stderr).toMatch(/^Refused: roles: overlord is not a role; expected one of .*ai_coe_admin/);
  noStack(role.stderr);
  expect(await repos().people.findByEmail('bob@example.com')).toBeNull();
});

it('explains usage mistakes with exit code 2', async () => {
  // Independent mistakes, run side by side: each child process pays tsx's start-up.
  const [missing, teams, unknownOption, none, noDb] = await Promise.all([
    person('add', '--email', 'carol@example.com', '--roles', 'ai_coe_admin'),
    person('add', '--email', 'carol@example.com', '--name', 'Carol', '--roles', 'domain_expert', '--teams', 'not-a-guid'),
    person('add', '--email', 'carol@example.com', '--name', 'Carol', '--roles', 'domain_expert', '--admin'),
    person(),
    runScript('person.ts', ['list'], {}),
  ]);
  expect(missing.code).toBe(2);
  expect(missing.stderr).toMatch(/^--name is required\nUsage:/);
  expect(teams.code).toBe(2);
  expect(teams.stderr).toMatch(/--teams expects an Azure AD object id/);
  expect(unknownOption.code).toBe(2);
  expect(unknownOption.stderr).toMatch(/--admin/);
  noStack(unknownOption.stderr);
  expect(none.code).toBe(2);
  expect(none.stderr).toMatch(/^Usage:/);
  expect(noDb.code).toBe(2);
  expect(noDb.stderr).toMatch(/^MONGODB_URI is not set/);
  expect(await repos().people.findByEmail('carol@example.com')).toBeNull();
});

it('lists the people registered, with their roles and chat ids', async () => {
  expect((await person('add', '--email', 'dan@example.com', '--name', 'Dan', '--roles', 'domain_expert')).code).toBe(0);
  const r = await person('list');
  expect(r.code).toBe(0);
  const lines = r.stdout.trim().split('\n');
  expect(lines).toHaveLength(3);
  expect(lines[0]).toMatch(/^ada@example.com\s+Ada Lovelace\s+ai_coe_admin,ai_governance_legal\s+\[slack U012ADA, teams 5f0c1a2b/);
  expect(lines[1]).toMatch(/^dan@example.com\s+Dan\s+domain_expert$/);
  expect(lines[2]).toBe('2 people.');
});
