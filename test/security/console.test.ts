/**
 * The console: it is not Slack or Teams, so it can prove no chat account; a person who is not an
 * admin cannot link one from it (the takeover the open dev console and personal tokens allowed).
 */
import { ADMIN_ROLE } from '../../src/domain/people/actor';
import { api, useConsoleServer } from '../channels/console/harness';

const h = useConsoleServer();
const said = (r: { json: any }) => JSON.stringify(r.json);

describe('linking chat accounts from the console', () => {
  it.each([
    ['a Slack account by mention', 'link slack <@U0CONSOLE1>', 'U0CONSOLE1'],
    ['a Teams account by object id', 'link teams 0c0c0c0c-1111-4222-8333-444444444444', '0c0c0c0c-1111-4222-8333-444444444444'],
  ])('a non-admin cannot link %s to themself', async (_what, text, id) => {
    const me = h.team.domain_expert!;
    const r = await api(h, 'command', { personId: me.id, text });
    expect(said(r)).toContain('Not allowed');
    expect(said(r)).toContain('only when the request comes from that account');
    const stored = await h.ctx.repos.people.findById(me.id);
    expect([stored?.slackUserId, stored?.teamsAadObjectId]).not.toContain(id);
  });

  it('`link slack` from the console says it must be sent from Slack', async () => {
    const r = await api(h, 'command', { personId: h.team.domain_expert!.id, text: 'link slack' });
    expect(said(r)).toContain('did not come from Slack');
  });

  it('an admin may link from the console', async () => {
    const target = h.team.prompt_engineer!;
    const r = await api(h, 'command', { personId: h.team[ADMIN_ROLE]!.id, text: `link ${target.email} slack <@U0BYADMIN1>` });
    expect(said(r)).toContain('Linked');
    expect((await h.ctx.repos.people.findBySlackUserId('U0BYADMIN1'))?.id).toBe(target.id);
  });
});
