/**
 * `history UC-n | APR-n | INC-n`: a record's versions as people read them, through the
 * conversation on the real database, rendered for every channel. And the honest reply when the outcome of a change is unknown.
 */
import { createConversation, type Conversation, type Reply } from '../../src/conversation/handlers';
import { uncertainOutcomeText } from '../../src/conversation/handlers/uncertainOutcome';
import { errorReply } from '../../src/conversation/handlers/errorReply';
import { castVote } from '../../src/domain/approvals/castVote';
import { reportIncident } from '../../src/domain/incidents/reportIncident';
import type { Person } from '../../src/domain/types';
import { attachEvidence } from '../../src/domain/usecases/attachEvidence';
import { requestAdvance } from '../../src/domain/usecases/requestAdvance';
import { suspendUseCase } from '../../src/domain/usecases/suspendUseCase';
import { useTestContext } from '../support/context';
import { registerTeam, type Team } from '../support/people';
import { expectRendersEverywhere } from '../support/renders';
import { proposeTestUseCase } from '../support/usecases';

const t = useTestContext();
let team: Team;
let pm: Person;
let convo: Conversation;
const unexpected: unknown[] = [];

const say = (actor: Person, text: string): Promise<Reply> => convo.handle(actor, { kind: 'command', text });
const text = (r: Reply) => r.cards.map((c) => `${c.title}\n${c.text ?? ''}`).join('\n');

beforeAll(async () => {
  team = await registerTeam(t.ctx);
  pm = team.llm_product_manager!;
  convo = createConversation({ ctx: t.ctx, onUnexpectedError: (e) => unexpected.push(e) });
});

describe('history', () => {
  it('lists every change of a use case, newest first, with who, what and why', async () => {
    const uc = await proposeTestUseCase(t.ctx, pm.id, 'high');
    await attachEvidence(t.ctx, { actorId: pm.id, key: uc.key, controlId: uc.requiredControls[0]!, url: 'https://wiki.example.com/dpia' });
    await suspendUseCase(t.ctx, { actorId: team.ai_security_specialist!.id, key: uc.key, reason: 'injection seen in pilot' });
    const reply = await say(pm, `history ${uc.key.toLowerCase()}`);
    const card = reply.cards[0]!;
    expect(card.title).toBe(`History of ${uc.key}`);
    const lines = card.text!.split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/^v3 · .* · .*: Suspended — from ideation, reason injection seen in pilot$/);
    expect(lines[1]).toMatch(/^v2 · .*: Evidence attached — control CTL-[A-Z-]+, https:\/\/wiki\.example\.com\/dpia$/);
    expect(lines[2]).toMatch(/^v1 · .*: Proposed$/);
    expect(lines[0]).toContain(team.ai_security_specialist!.name);
    expectRendersEverywhere(card);
  });

  it('shows an approval decided by a vote and the stage move it caused', async () => {
    const uc = await proposeTestUseCase(t.ctx, pm.id, 'minimal');
    const { approval } = await requestAdvance(t.ctx, { actorId: pm.id, key: uc.key });
    await castVote(t.ctx, { actorId: team.ai_coe_admin!.id, approvalKey: approval.key, decision: 'approve' });
    expect(text(await say(pm, `history ${approval.key}`))).toMatch(/v2 · .*: Decided — status approved, vote approve/);
    expect(text(await say(pm, `history ${uc.key}`))).toContain(`Stage changed — from ideation, to prototype (because of ${approval.key})`);
  });

  it('shows an incident, and refuses unknown keys clearly', async () => {
    const uc = await proposeTestUseCase(t.ctx, pm.id, 'minimal');
    const inc = await reportIncident(t.ctx, { reporterId: pm.id, useCaseKey: uc.key, category: 'sensitive_information_disclosure', severity: 'sev2', title: 'Leaked a customer email' });
    expect(text(await say(team.ai_security_specialist!, `history ${inc.key}`))).toMatch(/v1 · .*: Reported/);
    expect(text(await say(pm, 'history UC-99999'))).toMatch(/UC-99999 does not exist/);
    expect(text(await say(pm, 'history banana'))).toMatch(/expected a record id like UC-3/);
    expect(unexpected).toEqual([]);
  });
});

describe('an unexpected failure', () => {
  it('never claims that nothing was changed, and names the command that shows whether it was', () => {
    const reply = errorReply(new Error('connection closed'), undefined, ['evidence UC-12 CTL-LOGGING https://x.example.com']);
    const said = text(reply);
    expect(said).not.toMatch(/nothing was changed/i);
    expect(said).toContain('may have been saved');
    expect(said).toContain('`show UC-12`');
    expect(uncertainOutcomeText('approve APR-4', 'incident INC-2 note x')).toContain('`approvals`, `incident INC-2`');
  });
});
