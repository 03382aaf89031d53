/**
 * Registers and lists people from the command line: how a production deployment gets its first
 * AI CoE admin (chat refuses people it does not know, so the first one cannot register there).
 * Runs as the system actor, so every registration is on the audit trail.
 *
 *   MONGODB_URI=… npm run person -- add --email ada@example.com --name "Ada Lovelace" \
 *     --roles ai_coe_admin[,ai_governance_legal] [--slack U012ABCDEF] [--teams <Azure AD object id>]
 *   MONGODB_URI=… npm run person -- list
 *   MONGODB_URI=… npm run person -- erase ada@example.com --as admin@example.com   (GDPR Art. 17)
 *
 * Reads MONGODB_URI, MONGODB_DB (default steward) and PLAYBOOKS_DIR (for the role catalogue).
 * Exit codes: 0 done, 1 refused or failed, 2 usage or configuration.
 */
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { buildContext } from '../app/context';
import { DomainError } from '../domain/errors';
import { SYSTEM_ACTOR } from '../domain/people/actor';
import { registerPerson } from '../domain/people/registerPerson';
import { erasePerson } from '../domain/people/erasePerson';
import type { DomainContext } from '../domain/ports';
import { loadPolicy } from '../playbooks';
import { cliDatabase } from './database';
import { runCli } from './runCli';

const USAGE = `Usage:
  npm run person -- add --email <email> --name <name> --roles <role[,role…]> [--slack <U…>] [--teams <Azure AD object id>]
  npm run person -- list
  npm run person -- erase <email|person id> --as <admin email>`;

/** A refusal the operator can fix: printed as one line, never as a stack trace. */
class UsageError extends Error {}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const addArgs = z.object({
  email: z.string({ error: '--email is required' }),
  name: z.string({ error: '--name is required' }),
  roles: z
    .string({ error: '--roles is required (for the first person: --roles ai_coe_admin)' })
    .transform((s) => s.split(',').map((r) => r.trim()).filter(Boolean))
    .refine((roles) => roles.length > 0, '--roles needs at least one role'),
  slack: z.string().optional(),
  teams: z.string().regex(GUID, '--teams expects an Azure AD object id such as 00000000-0000-0000-0000-000000000000').optional(),
});

async function add(ctx: DomainContext, argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: { email: { type: 'string' }, name: { type: 'string' }, roles: { type: 'string' }, slack: { type: 'string' }, teams: { type: 'string' } },
  });
  const parsed = addArgs.safeParse(values);
  if (!parsed.success) throw new UsageError(parsed.error.issues[0]!.message);
  const a = parsed.data;
  const person = await registerPerson(ctx, {
    actorId: SYSTEM_ACTOR,
    name: a.name,
    email: a.email,
    roles: a.roles,
    ...(a.slack ? { slackUserId: a.slack } : {}),
    ...(a.teams ? { teamsAadObjectId: a.teams } : {}),
  });
  console.log(`Registered ${person.name} <${person.email}> as ${person.roles.join(', ')} (id ${person.id}).`);
  if (!person.slackUserId && !person.teamsAadObjectId) {
    console.log('Their Slack or Teams account links by this email the first time they write to Steward.');
  }
}

async function list(ctx: DomainContext, argv: string[]): Promise<void> {
  parseArgs({ args: argv, options: {} });
  const people = await ctx.repos.people.list();
  if (!people.length) {
    console.log('Nobody is registered yet. Add the first AI CoE admin with:\n  npm run person -- add --email <email> --name <name> --roles ai_coe_admin');
    return;
  }
  for (const p of people) {
    const ids = [p.slackUserId ? `slack ${p.slackUserId}` : '', p.teamsAadObjectId ? `teams ${p.teamsAadObjectId}` : ''].filter(Boolean).join(', ');
    console.log(`${(p.email ?? '-').padEnd(32)} ${p.name.padEnd(24)} ${p.roles.join(',') || '(no roles)'}${ids ? `  [${ids}]` : ''}`);
  }
  console.log(`${people.length} ${people.length === 1 ? 'person' : 'people'}.`);
}

/**
 * GDPR Art. 17 erasure. The operator names the AI CoE admin it is done for (--as): the domain
 * refuses anyone else, and the erasure is audited under that admin, not the system.
 */
async function erase(ctx: DomainContext, argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({ args: argv, options: { as: { type: 'string' } }, allowPositionals: true });
  if (positionals.length !== 1) throw new UsageError('Give the email (or person id) of the person to erase.');
  if (!values.as) throw new UsageError('--as <email of an AI CoE admin> is required: the erasure is recorded under their name.');
  const admin = await ctx.repos.people.findByEmail(values.as);
  if (!admin) throw new UsageError(`No registered person has the email ${values.as}.`);
  const who = positionals[0]!;
  const r = await erasePerson(ctx, { actorId: admin.id, ...(who.includes('@') ? { email: who } : { personId: who }) });
  console.log(`Erased ${positionals[0]}: now "${r.pseudonym}" (id ${r.personId}); ${r.records.length} record(s) rewritten, ${r.copies} stored copies scrubbed, personal-data key destroyed.`);
}

const COMMANDS: Record<string, (ctx: DomainContext, argv: string[]) => Promise<void>> = { add, list, erase };

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  const run = command ? COMMANDS[command] : undefined;
  if (!run) {
    console.error(command && command !== 'help' && command !== '--help' ? `Unknown command "${command}".\n${USAGE}` : USAGE);
    return 2;
  }
  let policy;
  try {
    policy = loadPolicy(process.env.PLAYBOOKS_DIR || undefined);
  } catch (e) {
    console.error(`The playbooks do not load:\n${e instanceof Error ? e.message : String(e)}`);
    return 2;
  }
  const db = await cliDatabase(' (locally, `npm run db -- start` prints one)');
  if ('exitCode' in db) return db.exitCode;
  const { conn, auditSigningKey } = db;
  try {
    await run(await buildContext({ conn, policy, auditSigningKey, leaveNotificationsToWorker: true }), rest);
    return 0;
  } catch (e) {
    // parseArgs reports unknown or valueless options as TypeErrors with a readable message.
    if (e instanceof UsageError || (e instanceof TypeError && 'code' in e && String(e.code).startsWith('ERR_PARSE_ARGS'))) {
      console.error(`${e.message}\n${USAGE}`);
      return 2;
    }
    if (e instanceof DomainError) {
      console.error(`Refused: ${e.message}`);
      return 1;
    }
    throw e;
  } finally {
    await conn.close();
  }
}

runCli('person', () => main(process.argv.slice(2)));
