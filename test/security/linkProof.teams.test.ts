/**
 * Linking over real Teams activities: a person who is not an admin cannot claim another Teams
 * account by its object id; `link teams` links the sender's own (the authenticated activity's).
 */
import { SYSTEM_ACTOR } from '../../src/domain/people/actor';
import { linkIdentity } from '../../src/domain/people/linkIdentity';
import { registerTestPerson } from '../support/people';
import { personalMessage } from '../channels/teams/support/activities';
import { countAll, newSender, useTeamsHarness } from '../channels/teams/support/harness';

const h = useTeamsHarness();
/** Records, not the activity's retry claim or the stored conversation reference. */
const records = async () => {
  const { claims: _c, teams_conversations: _t, ...rest } = await countAll(h.t);
  return rest;
};
const said = () => JSON.stringify(h.fake.delivered().map((c) => c.body));

async function linkedSender(name: string) {
  const person = await registerTestPerson(h.t.ctx, ['domain_expert'], name);
  const sender = newSender(name);
  await linkIdentity(h.t.ctx, { actorId: SYSTEM_ACTOR, personId: person.id, teamsAadObjectId: sender.aadObjectId });
  return { person, sender };
}

it("a non-admin cannot link another Teams account to themself by its object id; nothing is written", async () => {
  const { sender } = await linkedSender('Teams Squatter');
  const victimAad = newSender('victim').aadObjectId;
  const before = await records();
  const res = await h.post(personalMessage(h.fake.serviceUrl, sender, `link teams ${victimAad}`));
  expect(res.status).toBe(200);
  expect(said()).toContain('Not allowed');
  expect(await h.t.ctx.repos.people.findByTeamsAadObjectId(victimAad)).toBeNull();
  expect(await records()).toEqual(before);
});

it('`link teams` links the account the activity came from', async () => {
  const person = await registerTestPerson(h.t.ctx, ['domain_expert'], 'Teams Self Linker');
  const sender = newSender('Teams Self Linker');
  // Known by email only so far (as an admin registered them); the first message links the sender.
  h.fake.members.set(sender.id, { id: sender.id, aadObjectId: sender.aadObjectId, email: person.email });
  await h.post(personalMessage(h.fake.serviceUrl, sender, 'link teams'));
  expect(said()).toContain(`Linked Teams ${sender.aadObjectId}`);
  expect((await h.t.ctx.repos.people.findByTeamsAadObjectId(sender.aadObjectId))?.id).toBe(person.id);
});
