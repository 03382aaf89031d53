import { readFileSync } from 'node:fs';
import { addTimelineEntry } from '../../src/domain/incidents/addTimelineEntry';
import { art73Deadline } from '../../src/domain/incidents/art73';
import { flagSerious } from '../../src/domain/incidents/flagSerious';
import { getIncident } from '../../src/domain/incidents/getIncident';
import { listIncidents } from '../../src/domain/incidents/listIncidents';
import { recordReportSubmitted } from '../../src/domain/incidents/recordReportSubmitted';
import { redact } from '../../src/domain/incidents/redact';
import { reportIncident } from '../../src/domain/incidents/reportIncident';
import { updateIncidentStatus } from '../../src/domain/incidents/updateIncidentStatus';
import type { Person, UseCase } from '../../src/domain/types';
import { useTestContext } from '../support/context';
import { makeModel, makePerson, makeUseCase, refusal } from './governance.fixtures';
import { referencePath } from '../support/reference';
import { fixtureChange, fixtureChangeFor } from '../support/changes';
import { pullKillSwitch } from '../../src/domain/incidents/pullKillSwitch';
import { react } from '../../src/domain/records/react';
import { sweepReactions } from '../../src/domain/records/sweepReactions';
import { moveStage } from '../../src/domain/usecases/lifecycle';

const t = useTestContext();
/** The newest entry of an incident's history: the audit entry of its latest change. */
const head = (key: string) => t.ctx.repos.audit.head(`incident:${key}`);
let pm: Person, safetyR: Person, safetyA: Person, eng: Person, sec: Person, legal: Person, admin: Person, bystander: Person;
let uc: UseCase;

const SECRETS = {
  email: 'jane.doe@customer-mail.example.com',
  phone: '+44 20 7946 0958',
  payment_card: '4111 1111 1111 1111',
  api_key: 'sk-proj-Zx9Qw8Er7Ty6Ui5Op4As3Df2',
  slack_token: 'xoxb-123456789012-abcdefABCDEF',
  aws_access_key: 'AKIAIOSFODNN7EXAMPLE',
  github_token: 'ghp_AbCdEfGhIjKlMnOpQrStUvWxYz0123456789',
  bearer_token: 'Bearer abc123DEF456ghi789',
  jwt: 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c',
  secret: '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08',
  iban: 'GB82 WEST 1234 5698 7654 32',
} as const;
const rawValue = (kind: keyof typeof SECRETS) => (kind === 'bearer_token' ? SECRETS[kind].replace('Bearer ', '') : SECRETS[kind]);

beforeAll(async () => {
  [pm, safetyR, safetyA, eng, sec, legal, admin, bystander] = await Promise.all([
    makePerson(t.ctx, ['llm_product_manager'], 'PM'),
    makePerson(t.ctx, ['ai_security_specialist'], 'Safety R'),
    makePerson(t.ctx, ['ai_governance_legal'], 'Safety A'),
    makePerson(t.ctx, ['llmops_engineer'], 'Eng'),
    makePerson(t.ctx, ['ai_security_specialist'], 'Sec'),
    makePerson(t.ctx, ['ai_governance_legal'], 'Legal'),
    makePerson(t.ctx, ['ai_coe_admin'], 'Admin'),
    makePerson(t.ctx, ['domain_expert'], 'Bystander'),
  ]);
  uc = await makeUseCase(t.ctx, {
    ownerId: pm.id,
    stage: 'production',
    raci: [{ area: 'safety_compliance', responsible: [safetyR.id], accountable: [safetyA.id], consulted: [], informed: [] }],
  });
  await makeModel(t.ctx, { name: 'chat-main', ownerId: eng.id });
});

describe('redact (pure)', () => {
  it.each(Object.keys(SECRETS) as (keyof typeof SECRETS)[])('redacts %s', (kind) => {
    const r = redact(`before ${SECRETS[kind]} after`);
    expect(r.kinds).toEqual([kind]);
    expect(r.text).toContain(`[REDACTED:${kind}]`);
    expect(r.text).not.toContain(rawValue(kind));
    expect(r.text).toMatch(/^before .* after$/);
  });

  it('redacts more formats of the same kinds', () => {
    expect(redact('call (415) 555-2671 now').kinds).toEqual(['phone']);
    expect(redact('card 5500-0000-0000-0004').kinds).toEqual(['payment_card']);
    expect(redact('aws ASIAY34FZKBOKMUTVV7A').kinds).toEqual(['aws_access_key']);
    expect(redact('password=hunter22').text).toBe('password=[REDACTED:secret]');
    expect(redact('token: "dGhpcyBpcyBzZWNyZXQ"').text).toBe('token: "[REDACTED:secret]"');
    expect(redact('DE89370400440532013000').kinds).toEqual(['iban']);
    expect(redact('b64 dGhpcyBpcyBhIHNlY3JldCBrZXkgZm9yIHRlc3Rpbmc9PQ2X==').kinds).toEqual(['secret']);
  });

  it('leaves ordinary text alone', () => {
    const text = 'On 2026-09-01 at 10:30 INC-12 hit UC-3 (model v1.2.3), order 12345, card-like 4111 1111 1111 1112, 3 of 40 users.';
    expect(redact(text)).toEqual({ text, kinds: [] });
  });
});

describe('reportIncident', () => {
  it('stores only redacted text: the raw secrets are nowhere in the stored document', async () => {
    const all = Object.values(SECRETS).join(' ; ');
    const inc = await reportIncident(t.ctx, {
      reporterId: bystander.id,
      useCaseKey: uc.key.toLowerCase(),
      modelName: 'Chat-Main',
      category: 'sensitive_information_disclosure',
      severity: 'sev2',
      title: `Bot showed ${SECRETS.email} to another user`,
      description: `Log excerpt: ${all}`,
    });
    expect(inc).toMatchObject({ key: expect.stringMatching(/^INC-\d+$/), useCaseKey: uc.key, modelName: 'chat-main', status: 'reported' });
    expect(inc.title).toBe('Bot showed [REDACTED:email] to another user');
    expect([...inc.redactions].sort()).toEqual(Object.keys(SECRETS).sort());

    const raw = await t.ctx.conn.collection('incidents').findOne({ key: inc.key });
    const stored = JSON.stringify(raw);
    for (const kind of Object.keys(SECRETS) as (keyof typeof SECRETS)[]) expect(stored).not.toContain(rawValue(kind));
    expect(stored).toContain('[REDACTED:iban]');
    // Nor in its history: version 1 (the audit entry) holds the redacted state only.
    const history = JSON.stringify(await t.ctx.repos.audit.history(`incident:${inc.key}`));
    expect(history).toContain('incident.reported');
    for (const kind of Object.keys(SECRETS) as (keyof typeof SECRETS)[]) expect(history).not.toContain(rawValue(kind));
  });

  it('makes the safety & compliance Responsible the owner, with audit, event and timeline', async () => {
    const inc = await reportIncident(t.ctx, { reporterId: bystander.id, useCaseKey: uc.key, category: 'hallucination_misinformation', severity: 'sev3', title: 'Made up a refund policy' });
    expect(inc.ownerId).toBe(safetyR.id);
    expect(inc.timeline).toEqual([expect.objectContaining({ kind: 'reported', by: bystander.id })]);
    expect(await head(inc.key)).toMatchObject({ version: 1, action: 'incident.reported', subject: inc.key, data: { ownerId: safetyR.id, severity: 'sev3' } });
    expect(t.events.at(-1)).toMatchObject({ type: 'incident.reported', incidentKey: inc.key, ownerId: safetyR.id, severity: 'sev3', useCaseKey: uc.key });
  });

  it('falls back to the Accountable, then the model owner, then the reporter', async () => {
    const onlyA = await makeUseCase(t.ctx, { ownerId: pm.id, raci: [{ area: 'safety_compliance', responsible: [], accountable: [safetyA.id], consulted: [], informed: [] }] });
    const a = await reportIncident(t.ctx, { reporterId: bystander.id, useCaseKey: onlyA.key, category: 'availability', severity: 'sev4', title: 'Slow answers' });
    expect(a.ownerId).toBe(safetyA.id);
    const m = await reportIncident(t.ctx, { reporterId: bystander.id, modelName: 'chat-main', category: 'availability', severity: 'sev4', title: 'Provider outage' });
    expect(m.ownerId).toBe(eng.id);
    const bare = await makeUseCase(t.ctx, { ownerId: pm.id });
    const r = await reportIncident(t.ctx, { reporterId: bystander.id, useCaseKey: bare.key, category: 'availability', severity: 'sev4', title: 'Timeouts' });
    expect(r.ownerId).toBe(bystander.id);
  });

  it('refuses reports without a subject, with an unknown category or severity, or from unknown people', async () => {
    const none = await refusal(reportIncident(t.ctx, { reporterId: bystander.id, category: 'availability', severity: 'sev4', title: 'Something' }));
    expect(none).toMatchObject({ kind: 'validation', message: 'useCaseKey: name the use case or the model the incident concerns (at least one)' });
    const cat = await refusal(reportIncident(t.ctx, { reporterId: bystander.id, useCaseKey: uc.key, category: 'aliens', severity: 'sev4', title: 'Something' }));
    expect(cat).toMatchObject({ code: 'incident.unknown_category' });
    expect(cat.message).toMatch(/^category: expected one of prompt_injection, /);
    const sev = await refusal(reportIncident(t.ctx, { reporterId: bystander.id, useCaseKey: uc.key, category: 'availability', severity: 'sev9' as never, title: 'Something' }));
    expect(sev.message).toMatch(/^severity: /);
    expect(await refusal(reportIncident(t.ctx, { reporterId: 'ghost', useCaseKey: uc.key, category: 'availability', severity: 'sev4', title: 'Something' }))).toMatchObject({ code: 'person.unknown' });
    expect(await refusal(reportIncident(t.ctx, { reporterId: bystander.id, useCaseKey: 'UC-9999', category: 'availability', severity: 'sev4', title: 'Something' }))).toMatchObject({ code: 'usecase.not_found' });
  });

  it('kill switch suspends the use case at once, remembering where it was', async () => {
    const live = await makeUseCase(t.ctx, { ownerId: pm.id, stage: 'pilot' });
    t.clock.advanceMs(60_000);
    const inc = await reportIncident(t.ctx, { reporterId: bystander.id, useCaseKey: live.key, category: 'excessive_agency', severity: 'sev1', title: 'Agent issued refunds', killSwitch: true });
    expect(inc.killSwitch).toBe(true);
    expect(inc.timeline.map((e) => e.kind)).toEqual(['reported', 'kill_switch']);
    const after = (await t.ctx.repos.useCases.get(live.key))!;
    expect(after).toMatchObject({ stage: 'suspended', suspendedFrom: 'pilot' });
    expect(after.stageEnteredAt.getTime()).toBe(t.clock.now().getTime());
    expect(after.stageHistory.at(-1)).toMatchObject({ from: 'pilot', to: 'suspended', by: bystander.id, reason: `Kill switch pulled on ${inc.key}` });
    expect(t.events.some((e) => e.type === 'usecase.stage_changed' && e.useCaseKey === live.key && e.to === 'suspended')).toBe(true);
    // After the fixture's version 1, one change: the suspension, caused by the incident.
    const trail = (await t.ctx.repos.audit.history(`usecase:${live.key}`)).slice(1);
    expect(trail).toEqual([expect.objectContaining({ action: 'usecase.suspended', cause: `incident:${inc.key}`, data: { from: 'pilot', incidentKey: inc.key, reason: `Kill switch pulled on ${inc.key}` } })]);
  });

  it('kill switch cancels a pending gate approval so nothing advances behind it', async () => {
    const live = await makeUseCase(t.ctx, { ownerId: pm.id, stage: 'prototype' });
    const now = t.clock.now();
    const { record: pending } = await t.ctx.repos.approvals.create(
      {
        useCaseKey: live.key, gateId: 'evaluation', fromStage: 'prototype', toStage: 'evaluation', requesterId: pm.id,
        requiredRoles: ['domain_expert'], quorum: 1, approverIds: [bystander.id], status: 'pending', reasons: [],
        expiresAt: new Date(now.getTime() + 14 * 86_400_000), createdAt: now,
      },
      fixtureChangeFor(),
    );
    await reportIncident(t.ctx, { reporterId: bystander.id, useCaseKey: live.key, category: 'excessive_agency', severity: 'sev1', title: 'Stop it', killSwitch: true });
    expect((await t.ctx.repos.approvals.get(pending.key))!.status).toBe('cancelled');
    expect((await t.ctx.repos.useCases.get(live.key))!.stage).toBe('suspended');
  });

  it('refuses a kill switch without a use case', async () => {
    const err = await refusal(reportIncident(t.ctx, { reporterId: bystander.id, modelName: 'chat-main', category: 'availability', severity: 'sev1', title: 'Down', killSwitch: true }));
    expect(err.message).toMatch(/^killSwitch: /);
  });
});

describe('one write per change; the kill switch as a reaction', () => {
  it('the report is one write: version 1 is the incident.reported audit entry, with the Art. 73 clock and the announcements', async () => {
    const awareAt = t.clock.now();
    const inc = await reportIncident(t.ctx, { reporterId: bystander.id, useCaseKey: uc.key, category: 'harmful_or_biased_output', severity: 'sev1', title: 'Harmful answer', serious: { basis: 'general', awareAt } });
    const deadline = new Date(awareAt.getTime() + 15 * 86_400_000);
    const entries = await t.ctx.repos.audit.history(`incident:${inc.key}`);
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({
      version: 1,
      action: 'incident.reported',
      actorId: bystander.id,
      subject: inc.key,
      data: { ownerId: safetyR.id, killSwitch: false, serious: { basis: 'general', deadline: deadline.toISOString() } },
      state: { status: 'reported', serious: { basis: 'general', awareAt, deadline } },
    });
    expect(entries[0]!.events).toEqual([
      expect.objectContaining({ type: 'incident.reported', incidentKey: inc.key, ownerId: safetyR.id, severity: 'sev1', useCaseKey: uc.key }),
      expect.objectContaining({ type: 'incident.serious_flagged', incidentKey: inc.key, deadline }),
    ]);
    expect(await t.ctx.repos.incidents.get(inc.key)).toEqual({ ...inc, rev: 1 });
  });

  it('pulled later, the switch is written on the incident and the use case is suspended by the reaction; a second pull is refused', async () => {
    const live = await makeUseCase(t.ctx, { ownerId: pm.id, stage: 'production' });
    const inc = await reportIncident(t.ctx, { reporterId: bystander.id, useCaseKey: live.key, category: 'excessive_agency', severity: 'sev2', title: 'Agent loops' });
    const pulled = await pullKillSwitch(t.ctx, { actorId: eng.id, key: inc.key.toLowerCase() });
    expect(pulled).toMatchObject({ killSwitch: true, rev: 2 });
    expect(pulled.timeline.at(-1)).toMatchObject({ kind: 'kill_switch', by: eng.id, text: `Kill switch pulled: ${live.key} suspended.` });
    expect(await head(inc.key)).toMatchObject({ version: 2, action: 'incident.kill_switch', data: { useCaseKey: live.key } });
    const after = (await t.ctx.repos.useCases.get(live.key))!;
    expect(after).toMatchObject({ stage: 'suspended', suspendedFrom: 'production' });
    expect(after.stageHistory.at(-1)).toMatchObject({ to: 'suspended', by: eng.id, reason: `Kill switch pulled on ${inc.key}` });
    expect(await refusal(pullKillSwitch(t.ctx, { actorId: eng.id, key: inc.key }))).toMatchObject({ code: 'incident.kill_switch_on' });
    const noUseCase = await reportIncident(t.ctx, { reporterId: bystander.id, modelName: 'chat-main', category: 'availability', severity: 'sev3', title: 'Slow' });
    expect(await refusal(pullKillSwitch(t.ctx, { actorId: eng.id, key: noUseCase.key }))).toMatchObject({ code: 'incident.no_use_case' });
    expect(await t.ctx.repos.audit.history(`incident:${noUseCase.key}`)).toHaveLength(1);
  });

  it('runs once: replaying the reaction, even after the use case was resumed, writes nothing', async () => {
    const live = await makeUseCase(t.ctx, { ownerId: pm.id, stage: 'production' });
    const inc = await reportIncident(t.ctx, { reporterId: bystander.id, useCaseKey: live.key, category: 'excessive_agency', severity: 'sev1', title: 'Refund spree', killSwitch: true });
    const [reported] = await t.ctx.repos.audit.history(`incident:${inc.key}`);
    const versions = async () => (await t.ctx.repos.audit.history(`usecase:${live.key}`)).length;
    const suspendedAt = await versions();
    expect((await react(t.ctx, reported!)).ok).toBe(true);
    expect(await versions()).toBe(suspendedAt);

    // Resumed by hand; a late replay (another process, the sweep) must not pull the switch again.
    const suspended = (await t.ctx.repos.useCases.get(live.key))!;
    await t.ctx.repos.useCases.save({ ...moveStage(suspended, 'production', { at: t.clock.now(), by: admin.id, reason: 'fixed' }), suspendedFrom: undefined }, fixtureChange('usecase.resumed'));
    await react(t.ctx, reported!);
    expect((await t.ctx.repos.useCases.get(live.key))!.stage).toBe('production');
    expect(await versions()).toBe(suspendedAt + 1);
  });

  it('a writer that dies after the report: the sweep announces it and suspends the use case, once', async () => {
    const live = await makeUseCase(t.ctx, { ownerId: pm.id, stage: 'pilot' });
    const died = { ...t.ctx, react: async () => undefined };
    const inc = await reportIncident(died, { reporterId: bystander.id, useCaseKey: live.key, category: 'excessive_agency', severity: 'sev1', title: 'Crashed mid-way', killSwitch: true });
    expect((await t.ctx.repos.useCases.get(live.key))!.stage).toBe('pilot');
    expect(t.events.some((e) => e.type === 'incident.reported' && e.incidentKey === inc.key)).toBe(false);

    t.clock.advanceMs(60_000);
    await sweepReactions(t.ctx, { graceMs: 30_000 });
    await sweepReactions(t.ctx, { graceMs: 30_000 });
    expect((await t.ctx.repos.useCases.get(live.key))!).toMatchObject({ stage: 'suspended', suspendedFrom: 'pilot' });
    expect(t.events.filter((e) => e.type === 'incident.reported' && e.incidentKey === inc.key)).toHaveLength(1);
    const suspensions = (await t.ctx.repos.audit.history(`usecase:${live.key}`)).filter((e) => e.action === 'usecase.suspended');
    expect(suspensions).toEqual([expect.objectContaining({ cause: `incident:${inc.key}` })]);
  });
});

describe('status transitions', () => {
  it('moves forward, refuses going back or skipping back, allows reopening resolved', async () => {
    const inc = await reportIncident(t.ctx, { reporterId: bystander.id, useCaseKey: uc.key, category: 'prompt_injection', severity: 'sev2', title: 'Injection via PDF' });
    const step = (status: 'reported' | 'triaged' | 'mitigating' | 'resolved' | 'closed', actorId = safetyR.id) =>
      updateIncidentStatus(t.ctx, { actorId, key: inc.key, status });
    expect((await step('triaged')).status).toBe('triaged');
    expect(await refusal(step('reported'))).toMatchObject({ kind: 'conflict', code: 'incident.bad_transition' });
    expect(await refusal(step('triaged'))).toMatchObject({ code: 'incident.bad_transition' });
    await step('mitigating', sec.id);
    await step('resolved', admin.id);
    expect((await step('mitigating')).status).toBe('mitigating'); // reopen
    await step('resolved');
    const closed = await step('closed');
    expect(closed.timeline.filter((e) => e.kind === 'status').map((e) => e.text)).toEqual([
      'Status reported -> triaged',
      'Status triaged -> mitigating',
      'Status mitigating -> resolved',
      'Status resolved -> mitigating',
      'Status mitigating -> resolved',
      'Status resolved -> closed',
    ]);
    const err = await refusal(step('mitigating'));
    expect(err.message).toBe(`${inc.key} is closed; it cannot move to mitigating (statuses only move forward; a resolved incident may be reopened to mitigating).`);
    expect(t.events.filter((e) => e.type === 'incident.updated' && e.incidentKey === inc.key)).toHaveLength(6);
  });

  it('refuses status changes by people who are not owner, security or CoE', async () => {
    const inc = await reportIncident(t.ctx, { reporterId: bystander.id, useCaseKey: uc.key, category: 'prompt_injection', severity: 'sev3', title: 'Another one' });
    expect(await refusal(updateIncidentStatus(t.ctx, { actorId: bystander.id, key: inc.key, status: 'triaged' }))).toMatchObject({ kind: 'forbidden', code: 'incident.status_forbidden' });
    expect(await refusal(updateIncidentStatus(t.ctx, { actorId: legal.id, key: inc.key, status: 'triaged' }))).toMatchObject({ kind: 'forbidden' });
  });
});

describe('Art. 73 serious incidents', () => {
  const reference = JSON.parse(readFileSync(referencePath('frameworks', 'eu-ai-act.json'), 'utf8')).serious_incident_reporting_art73.deadlines as { para: string; case: string; deadline: string }[];
  const refDays = (para: string) => Number(/not later than (\d+) days/.exec(reference.find((d) => d.para === para)!.deadline)![1]);

  it('takes its day counts from the policy, which match the regulation text', () => {
    const days = t.ctx.policy.incidents.serious.deadlinesDays;
    expect(refDays('73(2)')).toBe(15);
    expect(refDays('73(3)')).toBe(2);
    expect(refDays('73(4)')).toBe(10);
    expect(reference.find((d) => d.para === '73(3)')!.case).toMatch(/widespread infringement.*critical infrastructure/);
    expect(reference.find((d) => d.para === '73(4)')!.case).toMatch(/death/);
    expect(days).toEqual({ general: refDays('73(2)'), widespread_or_critical_infrastructure: refDays('73(3)'), death: refDays('73(4)') });
  });

  it.each([
    ['general', '2026-09-16T08:00:00.000Z'],
    ['widespread_or_critical_infrastructure', '2026-09-03T08:00:00.000Z'],
    ['death', '2026-09-11T08:00:00.000Z'],
  ] as const)('flags %s and sets the deadline from awareness', async (basis, due) => {
    const awareAt = new Date('2026-09-01T08:00:00Z');
    expect(art73Deadline(awareAt, basis, t.ctx.policy.incidents.serious.deadlinesDays).toISOString()).toBe(due);
    const inc = await reportIncident(t.ctx, { reporterId: bystander.id, useCaseKey: uc.key, category: 'harmful_or_biased_output', severity: 'sev1', title: `Serious ${basis}` });
    const flagged = await flagSerious(t.ctx, { actorId: legal.id, key: inc.key, basis, awareAt: awareAt.toISOString() });
    expect(flagged.serious).toEqual({ basis, awareAt, awareSource: 'stated', deadline: new Date(due) });
    expect((await t.ctx.repos.incidents.get(inc.key))!.serious!.deadline.toISOString()).toBe(due);
    expect(t.events.at(-1)).toEqual(expect.objectContaining({ type: 'incident.serious_flagged', incidentKey: inc.key, deadline: new Date(due) }));
    expect(await head(inc.key)).toMatchObject({ action: 'incident.serious_flagged', data: { basis, deadline: due } });
  });

  it('can be flagged serious at report time', async () => {
    const inc = await reportIncident(t.ctx, { reporterId: bystander.id, useCaseKey: uc.key, category: 'harmful_or_biased_output', severity: 'sev1', title: 'Harm', serious: { basis: 'death', awareAt: t.clock.now() } });
    expect(inc.serious?.deadline.getTime()).toBe(t.clock.now().getTime() + 10 * 86_400_000);
    expect(inc.timeline.map((e) => e.kind)).toEqual(['reported', 'serious']);
  });

  it('refuses flagging by others, awareness in the future, and closing before the report', async () => {
    const inc = await reportIncident(t.ctx, { reporterId: bystander.id, useCaseKey: uc.key, category: 'harmful_or_biased_output', severity: 'sev1', title: 'Rights issue' });
    expect(await refusal(flagSerious(t.ctx, { actorId: bystander.id, key: inc.key, basis: 'general', awareAt: t.clock.now() }))).toMatchObject({ code: 'incident.serious_forbidden' });
    const future = new Date(t.clock.now().getTime() + 3_600_000);
    expect(await refusal(flagSerious(t.ctx, { actorId: legal.id, key: inc.key, basis: 'general', awareAt: future }))).toMatchObject({ code: 'incident.aware_in_future' });
    expect(await refusal(recordReportSubmitted(t.ctx, { actorId: legal.id, key: inc.key, reportRef: 'MSA-1' }))).toMatchObject({ code: 'incident.not_serious' });

    await flagSerious(t.ctx, { actorId: safetyR.id, key: inc.key, basis: 'general', awareAt: t.clock.now() }); // the owner may flag
    await updateIncidentStatus(t.ctx, { actorId: safetyR.id, key: inc.key, status: 'resolved' });
    expect(await refusal(updateIncidentStatus(t.ctx, { actorId: safetyR.id, key: inc.key, status: 'closed' }))).toMatchObject({ code: 'incident.report_outstanding' });
    expect(await refusal(recordReportSubmitted(t.ctx, { actorId: sec.id, key: inc.key, reportRef: 'MSA-1' }))).toMatchObject({ code: 'incident.report_forbidden' });

    t.clock.advanceDays(16);
    const reported = await recordReportSubmitted(t.ctx, { actorId: legal.id, key: inc.key, reportRef: 'MSA-2026-0042' });
    expect(reported.serious).toMatchObject({ reportRef: 'MSA-2026-0042', reportSubmittedAt: t.clock.now() });
    expect(reported.timeline.at(-1)!.text).toBe('Art. 73 report submitted (MSA-2026-0042), after the deadline.');
    expect(await head(inc.key)).toMatchObject({ action: 'incident.report_submitted', data: { late: true } });
    expect(await refusal(recordReportSubmitted(t.ctx, { actorId: legal.id, key: inc.key, reportRef: 'again' }))).toMatchObject({ code: 'incident.report_already_submitted' });
    expect(await refusal(flagSerious(t.ctx, { actorId: legal.id, key: inc.key, basis: 'death', awareAt: t.clock.now() }))).toMatchObject({ code: 'incident.report_already_submitted' });
    expect((await updateIncidentStatus(t.ctx, { actorId: safetyR.id, key: inc.key, status: 'closed' })).status).toBe('closed');
  });

  it('a report recorded after the fact keeps the day it was sent: on time if that was before the deadline', async () => {
    const inc = await reportIncident(t.ctx, { reporterId: bystander.id, useCaseKey: uc.key, category: 'harmful_or_biased_output', severity: 'sev1', title: 'Outage of a grid tool' });
    const awareAt = t.clock.now();
    await flagSerious(t.ctx, { actorId: legal.id, key: inc.key, basis: 'widespread_or_critical_infrastructure', awareAt });
    t.clock.advanceDays(3); // recorded after the 2-day deadline...
    const before = (await t.ctx.repos.incidents.get(inc.key))!;
    const future = new Date(t.clock.now().getTime() + 60_000);
    expect(await refusal(recordReportSubmitted(t.ctx, { actorId: legal.id, key: inc.key, reportRef: 'MSA-5', submittedAt: future }))).toMatchObject({ code: 'incident.submitted_in_future' });
    expect(await t.ctx.repos.incidents.get(inc.key)).toEqual(before);
    const sentAt = new Date(awareAt.getTime() + 86_400_000); // ...but sent within it
    const r = await recordReportSubmitted(t.ctx, { actorId: legal.id, key: inc.key, reportRef: 'MSA-5', submittedAt: sentAt });
    expect(r.serious).toMatchObject({ reportRef: 'MSA-5', reportSubmittedAt: sentAt });
    expect(r.timeline.at(-1)!.text).toBe(`Art. 73 report submitted on ${sentAt.toISOString().slice(0, 10)} (MSA-5).`);
    expect(await head(inc.key)).toMatchObject({ action: 'incident.report_submitted', data: { late: false } });
  });
});

describe('timeline notes, listing and lookup', () => {
  it('redacts notes and refuses notes from uninvolved people', async () => {
    const inc = await reportIncident(t.ctx, { reporterId: bystander.id, useCaseKey: uc.key, category: 'system_prompt_leakage', severity: 'sev2', title: 'Prompt leaked' });
    const noted = await addTimelineEntry(t.ctx, { actorId: sec.id, key: inc.key.toLowerCase(), text: `Rotated ${SECRETS.api_key}; told ${SECRETS.email}` });
    expect(noted.timeline.at(-1)).toMatchObject({ kind: 'note', by: sec.id, text: 'Rotated [REDACTED:api_key]; told [REDACTED:email]' });
    expect(noted.redactions).toEqual(expect.arrayContaining(['api_key', 'email']));
    const stored = JSON.stringify(await t.ctx.conn.collection('incidents').findOne({ key: inc.key }));
    expect(stored).not.toContain(SECRETS.api_key);
    expect(await refusal(addTimelineEntry(t.ctx, { actorId: eng.id, key: inc.key, text: 'me too' }))).toMatchObject({ code: 'incident.note_forbidden' });
  });

  it('lists open incidents and finds one case-insensitively', async () => {
    const open = await listIncidents(t.ctx, { open: true });
    const all = await listIncidents(t.ctx);
    expect(open.length).toBeGreaterThan(0);
    expect(open.every((i) => ['reported', 'triaged', 'mitigating'].includes(i.status))).toBe(true);
    expect(all.length).toBeGreaterThan(open.length);
    const closed = await listIncidents(t.ctx, { open: false });
    expect(open.length + closed.length).toBe(all.length);
    expect((await listIncidents(t.ctx, { ownerId: eng.id })).every((i) => i.ownerId === eng.id)).toBe(true);
    expect((await listIncidents(t.ctx, { severity: 'sev1' })).every((i) => i.severity === 'sev1')).toBe(true);
    const one = await getIncident(t.ctx, { key: all[0].key.toLowerCase() });
    expect(one.key).toBe(all[0].key);
    expect(await refusal(getIncident(t.ctx, { key: 'INC-99999' }))).toMatchObject({ kind: 'not_found', code: 'incident.not_found' });
  });
});
