/**
 * Linking chat accounts over signed Slack HTTP: a person who is not an admin cannot claim
 * anyone's Slack account (which would make Steward take the real owner for them); `link slack`
 * links only the account the signed request came from; an admin links others, and the version
 * written names the admin.
 */
import { ADMIN_ROLE, SYSTEM_ACTOR } from '../../src/domain/people/actor';
import { registerPerson } from '../../src/domain/people/registerPerson';
import { registerTestPerson } from '../support/people';
import { slackDriver, textOf } from '../channels/slack/support/drive';
import { countAll, useSlackHarness } from '../channels/slack/support/harness';

const h = useSlackHarness();
const slack = slackDriver(h);

/** A colleague who has not used Slack yet: registered by email only. */
const unlinkedPerson = (name: string) =>
  registerPerson(h.t.ctx, { actorId: SYSTEM_ACTOR, name, email: `${name.replace(/\W/g, '.').toLowerCase()}.${process.pid}@example.com`, roles: ['domain_expert'] });

/** Records, not the per-request retry claim a slash command takes. */
const records = async () => {
  const { claims: _claims, ...rest } = await countAll(h.t);
  return rest;
};

describe('link slack over signed Slack requests', () => {
  it.each([
    ['for themself (mention form)', (_victimEmail: string) => `link slack <@U0VICTIM1>`, 'U0VICTIM1'],
    ["someone else's, naming them", (victimEmail: string) => `link ${victimEmail} slack <@U0VICTIM2>`, 'U0VICTIM2'],
  ])("a non-admin cannot claim a Slack account that is not the one they write from: %s", async (_form, command, victimSlackId) => {
    const squatter = await registerTestPerson(h.t.ctx, ['domain_expert'], `Squatter ${victimSlackId}`);
    const victim = await registerTestPerson(h.t.ctx, ['ai_coe_admin'], `Victim ${victimSlackId}`);
    const before = await records();

    const [reply] = await slack.say(squatter, command(victim.email!));

    expect(textOf(reply!.body)).toMatch(/Not allowed/);
    expect(await h.t.ctx.repos.people.findBySlackUserId(victimSlackId)).toBeNull();
    expect(await records()).toEqual(before);
  });

  it('`link slack` links the account the signed request came from, and only that one', async () => {
    const me = await registerTestPerson(h.t.ctx, ['domain_expert'], 'Self Linker');
    const [reply] = await slack.say(me, 'link slack');
    expect(textOf(reply!.body)).toContain(`Linked Slack ${me.slackUserId}`);
    expect((await h.t.ctx.repos.people.findBySlackUserId(me.slackUserId!))?.id).toBe(me.id);
  });

  it('an admin links a colleague who has not used Slack yet; the version names the admin', async () => {
    const admin = await registerTestPerson(h.t.ctx, [ADMIN_ROLE], 'Linking Admin');
    const colleague = await unlinkedPerson('New Colleague');
    const fresh = `U0NEW${process.pid.toString(36).toUpperCase()}`;
    const [reply] = await slack.say(admin, `link ${colleague.email} slack <@${fresh}>`);
    expect(textOf(reply!.body)).toContain('Linked New Colleague');
    expect((await h.t.ctx.repos.people.findBySlackUserId(fresh))?.id).toBe(colleague.id);
    const versions = await h.t.ctx.repos.audit.history(`person:${colleague.id}`);
    expect(versions.at(-1)).toMatchObject({ action: 'person.identity_linked', actorId: admin.id, data: { linked: ['slackUserId'], authority: 'admin' } });
  });
});
