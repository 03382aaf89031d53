import { COMMAND_CATALOGUE, COMMAND_NAMES, isParseFailure, parseCommand } from '../../src/conversation/grammar';
import type { ParseFailure, ParsedCommand } from '../../src/conversation/grammar';
import { loadPolicy } from '../../src/playbooks';

const ok = (text: string, areas?: { id: string; name?: string }[]): ParsedCommand => {
  const result = parseCommand(text, areas ? { raciAreas: areas } : {});
  if (isParseFailure(result)) throw new Error(`expected "${text}" to parse, got: ${result.message}`);
  return result;
};
const bad = (text: string): ParseFailure => {
  const result = parseCommand(text);
  if (!isParseFailure(result)) throw new Error(`expected "${text}" to fail, got ${JSON.stringify(result)}`);
  return result;
};

describe('parseCommand: every command', () => {
  test.each<[string, Partial<ParsedCommand>]>([
    ['help', { name: 'help' }],
    ['help raci', { name: 'help', topic: 'raci' }],
    ['help who approves', { name: 'help', topic: 'who_approves' }],
    ['propose', { name: 'propose' }],
    ['show UC-3', { name: 'show', useCaseKey: 'UC-3' }],
    ['list', { name: 'list', filter: { kind: 'all' } }],
    ['list mine', { name: 'list', filter: { kind: 'mine' } }],
    ['list pilot', { name: 'list', filter: { kind: 'stage', stage: 'pilot' } }],
    ['list high', { name: 'list', filter: { kind: 'tier', tier: 'high' } }],
    ['raci UC-2', { name: 'raci', useCaseKey: 'UC-2' }],
    ['raci UC-2 model_selection', { name: 'raci', useCaseKey: 'UC-2', area: 'model_selection' }],
    ['who approves UC-7', { name: 'who_approves', useCaseKey: 'UC-7' }],
    ['advance UC-1', { name: 'advance', useCaseKey: 'UC-1' }],
    ['approvals', { name: 'approvals' }],
    ['approve APR-4', { name: 'approve', approvalKey: 'APR-4' }],
    ['approve APR-4 evidence looks complete', { name: 'approve', approvalKey: 'APR-4', reason: 'evidence looks complete' }],
    ['reject APR-4 no red-team report attached', { name: 'reject', approvalKey: 'APR-4', reason: 'no red-team report attached' }],
    ['incident', { name: 'incident_form' }],
    ['incident UC-5', { name: 'incident_form', useCaseKey: 'UC-5' }],
    ['incident UC-5 sev2 the bot quoted a customer email', { name: 'incident', useCaseKey: 'UC-5', severity: 'sev2', description: 'the bot quoted a customer email' }],
    ['incidents', { name: 'incidents', openOnly: false }],
    ['incidents open', { name: 'incidents', openOnly: true }],
    ['models', { name: 'models' }],
    ['model gpt-4o-mini', { name: 'model', modelName: 'gpt-4o-mini' }],
    ['can UC-3 use gpt-4o with personal', { name: 'can_use', useCaseKey: 'UC-3', modelName: 'gpt-4o', dataClass: 'personal' }],
    ['reviews', { name: 'reviews', overdueOnly: false }],
    ['reviews overdue', { name: 'reviews', overdueOnly: true }],
    ['review done UC-3 https://wiki.example.com/reviews/uc-3', { name: 'review_done', useCaseKey: 'UC-3', evidenceUrl: 'https://wiki.example.com/reviews/uc-3' }],
    ['kpis', { name: 'kpis' }],
    ['audit verify', { name: 'audit_verify' }],
    ['eval run gpt-4o-mini smoke', { name: 'eval_run', modelName: 'gpt-4o-mini', suite: 'smoke' }],
  ])('%s', (text, expected) => {
    expect(ok(text)).toEqual({ ok: true, ...expected });
  });

  test('every command name has a catalogue entry with usage and description', () => {
    for (const name of COMMAND_NAMES) {
      const entry = COMMAND_CATALOGUE.find((e) => e.name === name);
      expect(entry?.usage).toBeTruthy();
      expect(entry?.description).toBeTruthy();
    }
  });
});

describe('parseCommand: case and aliases', () => {
  test('ids and keywords are case-insensitive', () => {
    expect(ok('SHOW uc-3')).toEqual({ ok: true, name: 'show', useCaseKey: 'UC-3' });
    expect(ok('Who Approves uc-12')).toMatchObject({ useCaseKey: 'UC-12' });
    expect(ok('APPROVE apr-2')).toMatchObject({ name: 'approve', approvalKey: 'APR-2' });
    expect(ok('Eval Run GPT-4o-mini smoke')).toMatchObject({ modelName: 'gpt-4o-mini' });
    expect(ok('incident uc-1 SEV1 outage')).toMatchObject({ severity: 'sev1' });
  });

  test('stage and tier aliases', () => {
    expect(ok('list security audit')).toMatchObject({ filter: { kind: 'stage', stage: 'security_audit' } });
    expect(ok('list security_audit')).toMatchObject({ filter: { kind: 'stage', stage: 'security_audit' } });
    expect(ok('list Continuous Improvement')).toMatchObject({ filter: { kind: 'stage', stage: 'continuous_improvement' } });
    expect(ok('list high-risk')).toMatchObject({ filter: { kind: 'tier', tier: 'high' } });
    expect(ok('list limited risk')).toMatchObject({ filter: { kind: 'tier', tier: 'transparency' } });
  });

  test('data class aliases', () => {
    expect(ok('can uc-1 use gpt-4o with special')).toMatchObject({ dataClass: 'special_category' });
    expect(ok('can uc-1 use gpt-4o with health data')).toMatchObject({ dataClass: 'special_category' });
    expect(ok('can uc-1 use gpt-4o with PII')).toMatchObject({ dataClass: 'personal' });
  });

  test('area aliases, with and without the playbook areas', () => {
    expect(ok('raci UC-2 prompt')).toMatchObject({ area: 'prompt_design' });
    expect(ok('raci UC-2 safety')).toMatchObject({ area: 'safety_compliance' });
    const areas = loadPolicy().raci.map((a) => ({ id: a.id, name: a.name }));
    expect(ok('raci UC-2 prompt', areas)).toMatchObject({ area: 'prompt_design' });
    expect(ok('raci UC-2 Safety', areas)).toMatchObject({ area: 'safety_compliance' });
    expect(ok(`raci UC-2 ${areas[2]!.name!}`, areas)).toMatchObject({ area: areas[2]!.id });
    const unknown = parseCommand('raci UC-2 catering', { raciAreas: areas });
    expect(isParseFailure(unknown) && unknown.message).toContain('catering');
  });

  test('a Teams mention or the bot name in front is ignored', () => {
    expect(ok('<at>Steward</at> show UC-9')).toMatchObject({ useCaseKey: 'UC-9' });
    expect(ok('/steward list mine')).toMatchObject({ filter: { kind: 'mine' } });
  });
});

describe('parseCommand: malformed input', () => {
  test('a typo gets a did-you-mean and that command usage', () => {
    const f = bad('racy UC-3');
    expect(f.suggestion).toBe('raci');
    expect(f.message).toMatch(/did you mean raci/i);
    expect(f.usage).toBe('raci UC-n [area]');
    expect(bad('shwo UC-1').suggestion).toBe('show');
    expect(bad('aprove APR-1').suggestion).toBe('approve');
    expect(bad('who aproves UC-1').suggestion).toBe('who_approves');
  });

  test('gibberish points to help', () => {
    const f = bad('xyzzy plugh');
    expect(f.suggestion).toBe('help');
    expect(f.usage).toBe('help [command]');
    expect(bad('   ').suggestion).toBe('help');
  });

  test('reject without a reason is refused', () => {
    const f = bad('reject APR-2');
    expect(f.message).toMatch(/reason is required/);
    expect(f.suggestion).toBe('reject');
    expect(f.usage).toBe('reject APR-n <reason>');
  });

  test('a bad evidence URL is refused', () => {
    for (const url of ['notaurl', 'javascript:alert(1)', 'ftp://files.example.com/x']) {
      const f = bad(`review done UC-3 ${url}`);
      expect(f.message).toMatch(/http\(s\) link/);
      expect(f.usage).toBe('review done UC-n <evidence link>');
    }
    expect(bad('review done UC-3').message).toMatch(/http\(s\) link/);
  });

  test('wrong ids, severities, filters and data classes name what was wrong', () => {
    expect(bad('show 3').message).toMatch(/use case id like UC-3/);
    expect(bad('approve UC-3').message).toMatch(/approval id like APR-3/);
    expect(bad('incident UC-3 urgent it broke').message).toBe('severity: expected one of sev1..sev4');
    expect(bad('incident UC-3 sev2').message).toMatch(/describe what happened/);
    expect(bad('list purple').usage).toBe('list [mine | <stage> | <tier>]');
    expect(bad('can UC-3 use gpt-4o with gossip').message).toMatch(/data class/);
    expect(bad('can UC-3 gpt-4o').suggestion).toBe('can_use');
    expect(bad('show UC-3 now please').message).toMatch(/Unexpected/);
    expect(bad('help teleport').suggestion).toBe('help');
  });
});

describe('parseCommand: people administration', () => {
  const roles = loadPolicy().roles.map((r) => ({ id: r.id, name: r.name }));
  const okRoles = (text: string): ParsedCommand => {
    const result = parseCommand(text, { roles });
    if (isParseFailure(result)) throw new Error(`expected "${text}" to parse, got: ${result.message}`);
    return result;
  };
  const badRoles = (text: string): ParseFailure => {
    const result = parseCommand(text, { roles });
    if (!isParseFailure(result)) throw new Error(`expected "${text}" to fail, got ${JSON.stringify(result)}`);
    return result;
  };

  test.each<[string, Partial<ParsedCommand>]>([
    ['register ada@example.com Ada Lovelace', { name: 'register', email: 'ada@example.com', personName: 'Ada Lovelace', roles: [] }],
    ['register Ada@Example.com Ada roles prompt_engineer,domain_expert', { name: 'register', email: 'ada@example.com', personName: 'Ada', roles: ['prompt_engineer', 'domain_expert'] }],
    ['register ada@example.com Ada Lovelace roles admin, pm', { name: 'register', personName: 'Ada Lovelace', roles: ['ai_coe_admin', 'llm_product_manager'] }],
    ['register ada@example.com Ada roles Prompt Engineer, AI Governance & Legal', { name: 'register', roles: ['prompt_engineer', 'ai_governance_legal'] }],
    ['register ada@example.com Ada roles legal ux', { name: 'register', roles: ['ai_governance_legal', 'product_ux_design'] }],
    ['register ada@example.com Ada slack <@U012ABCDEF> roles pm', { name: 'register', slackUserId: 'U012ABCDEF', roles: ['llm_product_manager'] }],
    ['register ada@example.com Ada slack <@U012ABCDEF|ada lovelace>', { name: 'register', personName: 'Ada', slackUserId: 'U012ABCDEF' }],
    ['register <mailto:ada@example.com|ada@example.com> Ada', { name: 'register', email: 'ada@example.com', personName: 'Ada' }],
    [
      'register ada@example.com Ada teams 8F0C2A5E-1B2C-4D3E-9F00-123456789ABC',
      { name: 'register', personName: 'Ada', teamsAadObjectId: '8f0c2a5e-1b2c-4d3e-9f00-123456789abc' },
    ],
    ['roles', { name: 'role_list' }],
    ['roles ada@example.com add security', { name: 'roles', person: 'ada@example.com', op: 'add', roles: ['ai_security_specialist'] }],
    ['roles Ada Lovelace remove pm, legal', { name: 'roles', person: 'Ada Lovelace', op: 'remove', roles: ['llm_product_manager', 'ai_governance_legal'] }],
    ['role <@U012ABCDEF> ADD llmops_engineer', { name: 'roles', person: '<@U012ABCDEF>', op: 'add', roles: ['llmops_engineer'] }],
    ['whoami', { name: 'whoami' }],
    ['Who am I', { name: 'whoami' }],
    ['people', { name: 'people' }],
    ['people legal', { name: 'people', role: 'ai_governance_legal' }],
    ['people Domain Expert', { name: 'people', role: 'domain_expert' }],
    ['link ada@example.com slack <@U012ABCDEF>', { name: 'link', person: 'ada@example.com', slackUserId: 'U012ABCDEF' }],
    ['link Ada Lovelace teams 8f0c2a5e-1b2c-4d3e-9f00-123456789abc', { name: 'link', person: 'Ada Lovelace', teamsAadObjectId: '8f0c2a5e-1b2c-4d3e-9f00-123456789abc' }],
    ['link slack <@U012ABCDEF>', { name: 'link', slackUserId: 'U012ABCDEF' }],
  ])('%s', (text, expected) => {
    expect(okRoles(text)).toMatchObject({ ok: true, ...expected });
  });

  test('an unknown role is refused with the list of valid roles', () => {
    for (const line of ['register ada@example.com Ada roles wizard', 'roles ada@example.com add wizard', 'people wizard']) {
      const f = badRoles(line);
      expect(f.message).toContain('"wizard" is not a role');
      for (const r of roles) expect(f.message).toContain(r.id);
    }
    expect(badRoles('register ada@example.com Ada roles').message).toContain('ai_coe_admin');
  });

  test('register needs the email first, then a name', () => {
    expect(badRoles('register Ada Lovelace ada@example.com').message).toMatch(/not an email address/);
    expect(badRoles('register').suggestion).toBe('register');
    const noName = badRoles('register ada@example.com roles pm');
    expect(noName.message).toMatch(/expected a name/);
    expect(noName.usage).toMatch(/^register <email> <name>/);
    expect(badRoles('register ada@example.com Ada slack ada').message).toMatch(/slack/);
    expect(badRoles('register ada@example.com Ada teams not-a-guid').message).toMatch(/AAD object id/);
    expect(badRoles('register ada@example.com Ada roles pm roles ux').message).toMatch(/twice/);
  });

  test('link needs one account at the end', () => {
    expect(badRoles('link ada@example.com').suggestion).toBe('link');
    expect(badRoles('link ada@example.com slack').message).toMatch(/which account/);
    expect(badRoles('link slack ada').message).toMatch(/mention the person/);
    expect(badRoles('link teams nope').message).toMatch(/AAD object id/);
  });

  test('roles needs add or remove and a role', () => {
    expect(badRoles('roles ada@example.com prompt_engineer').message).toMatch(/add\|remove/);
    expect(badRoles('roles ada@example.com add').message).toMatch(/role to add/);
  });

  test('typos of the new commands get a did-you-mean', () => {
    expect(bad('regster ada@example.com Ada').suggestion).toBe('register');
    expect(bad('regster ada@example.com Ada').message).toMatch(/did you mean register/i);
    expect(bad('whomai').suggestion).toBe('whoami');
    expect(bad('peple').suggestion).toBe('people');
    expect(bad('rolse').suggestion).toMatch(/^role/);
    expect(bad('who am you').suggestion).toBe('whoami');
  });

  test('help explains the new commands', () => {
    expect(ok('help register')).toEqual({ ok: true, name: 'help', topic: 'register' });
    expect(ok('help whoami')).toEqual({ ok: true, name: 'help', topic: 'whoami' });
    expect(ok('help people')).toEqual({ ok: true, name: 'help', topic: 'people' });
    expect(ok('help roles')).toMatchObject({ name: 'help' });
  });
});

describe('parseCommand: incident lifecycle (INC- ids)', () => {
  test.each<[string, Partial<ParsedCommand>]>([
    ['incident INC-3', { name: 'incident_show', incidentKey: 'INC-3' }],
    ['incident inc3 show', { name: 'incident_show', incidentKey: 'INC-3' }],
    ['incident INC-3 status triaged', { name: 'incident_status', incidentKey: 'INC-3', status: 'triaged' }],
    ['incident INC-3 status Mitigating rate limit applied', { name: 'incident_status', incidentKey: 'INC-3', status: 'mitigating', note: 'rate limit applied' }],
    ['incident INC-3 resolve rolled back the prompt', { name: 'incident_status', incidentKey: 'INC-3', status: 'resolved', note: 'rolled back the prompt' }],
    ['incident INC-3 close', { name: 'incident_status', incidentKey: 'INC-3', status: 'closed' }],
    ['incident INC-3 reopen', { name: 'incident_status', incidentKey: 'INC-3', status: 'mitigating' }],
    ['incident INC-3 note called the vendor', { name: 'incident_note', incidentKey: 'INC-3', text: 'called the vendor' }],
    ['incident INC-3 serious general', { name: 'incident_serious', incidentKey: 'INC-3', basis: 'general' }],
    ['incident INC-3 serious widespread', { name: 'incident_serious', basis: 'widespread_or_critical_infrastructure' }],
    ['incident INC-3 serious critical-infrastructure aware 2026-03-01', { name: 'incident_serious', basis: 'widespread_or_critical_infrastructure', awareOn: '2026-03-01' }],
    ['incident INC-3 serious critical infrastructure', { name: 'incident_serious', basis: 'widespread_or_critical_infrastructure' }],
    ['incident INC-3 serious death aware 2026-02-28', { name: 'incident_serious', basis: 'death', awareOn: '2026-02-28' }],
    ['incident INC-3 report submitted MSA-2026-114', { name: 'incident_report', incidentKey: 'INC-3', reportRef: 'MSA-2026-114' }],
    ['incident INC-3 Report Submitted ref 114/2026 (email)', { name: 'incident_report', reportRef: 'ref 114/2026 (email)' }],
  ])('%s', (text, expected) => {
    expect(ok(text)).toMatchObject({ ok: true, ...expected });
  });

  test('UC- ids still report a new incident; INC- ids never do', () => {
    expect(ok('incident uc-5 sev2 it leaked')).toMatchObject({ name: 'incident', useCaseKey: 'UC-5' });
    expect(ok('incident UC-5')).toEqual({ ok: true, name: 'incident_form', useCaseKey: 'UC-5' });
    expect(ok('incident INC-5')).toEqual({ ok: true, name: 'incident_show', incidentKey: 'INC-5' });
  });

  test('malformed lifecycle commands name what was wrong and show the right usage', () => {
    const status = bad('incident INC-3 status fixed');
    expect(status.message).toBe('expected a status: triaged, mitigating, resolved or closed');
    expect(status.usage).toBe('incident INC-n status <triaged|mitigating|resolved|closed> [note]');
    expect(bad('incident INC-3 status reported').message).toMatch(/expected a status/);
    expect(bad('incident INC-3 status').suggestion).toBe('incident_status');
    expect(bad('incident INC-3 note').message).toBe('expected the note after "note"');
    expect(bad('incident INC-3 serious nope').message).toMatch(/expected a basis: general, widespread, critical-infrastructure or death/);
    expect(bad('incident INC-3 serious').suggestion).toBe('incident_serious');
    expect(bad('incident INC-3 serious death aware 2026-02-30').message).toBe('expected a real date as YYYY-MM-DD');
    expect(bad('incident INC-3 serious death aware yesterday').message).toBe('expected the date as YYYY-MM-DD');
    expect(bad('incident INC-3 serious death aware 2026-02-01 today').suggestion).toBe('incident_serious');
    const report = bad('incident INC-3 report submitted');
    expect(report.message).toMatch(/expected the report reference/);
    expect(report.usage).toBe('incident INC-n report <submitted|initial|complete> <reference>');
    expect(bad('incident INC-3 report').message).toContain('incident INC-3 report submitted <reference>');
    expect(bad('incident INC-3 escalate').message).toMatch(/status, note, serious, report submitted/);
    expect(bad('incident INC-3 show everything').suggestion).toBe('incident_show');
  });

  test('help incident covers every incident command', () => {
    expect(ok('help incident')).toEqual({ ok: true, name: 'help', topic: 'incident' });
    const usages = COMMAND_CATALOGUE.filter((e) => e.keyword === 'incident').map((e) => e.usage);
    expect(usages).toEqual(expect.arrayContaining(['incident INC-n', 'incident INC-n note <text>', 'incident INC-n report <submitted|initial|complete> <reference>', 'incident INC-n aware YYYY-MM-DD because <reason>', 'incident INC-n provider informed [note]']));
  });
});

describe('parseCommand: use case maintenance', () => {
  const areas = loadPolicy().raci.map((a) => ({ id: a.id, name: a.name }));
  const okAreas = (text: string): ParsedCommand => ok(text, areas);
  const badAreas = (text: string): ParseFailure => {
    const result = parseCommand(text, { raciAreas: areas });
    if (!isParseFailure(result)) throw new Error(`expected "${text}" to fail, got ${JSON.stringify(result)}`);
    return result;
  };

  test.each<[string, Partial<ParsedCommand>]>([
    ['suspend UC-3 it leaked a customer address', { name: 'suspend', useCaseKey: 'UC-3', reason: 'it leaked a customer address' }],
    ['Suspend uc3 leak', { name: 'suspend', useCaseKey: 'UC-3', reason: 'leak' }],
    ['resume UC-3', { name: 'resume', useCaseKey: 'UC-3' }],
    ['resume uc-03 output filter fixed', { name: 'resume', useCaseKey: 'UC-3', reason: 'output filter fixed' }],
    ['retire UC-8 replaced by UC-9', { name: 'retire', useCaseKey: 'UC-8', reason: 'replaced by UC-9' }],
    ['evidence UC-3 ctl-logging https://wiki.example.com/logging', { name: 'evidence', useCaseKey: 'UC-3', controlId: 'CTL-LOGGING', evidenceUrl: 'https://wiki.example.com/logging' }],
    [
      'evidence uc-3 CTL-Logging https://wiki.example.com/l signed off by legal',
      { name: 'evidence', controlId: 'CTL-LOGGING', evidenceUrl: 'https://wiki.example.com/l', note: 'signed off by legal' },
    ],
    ['evidence UC-3 CTL-LOGGING <https://wiki.example.com/x|the wiki>', { name: 'evidence', evidenceUrl: 'https://wiki.example.com/x' }],
    ['update UC-4', { name: 'update', useCaseKey: 'UC-4' }],
    ['search claims triage', { name: 'search', text: 'claims triage' }],
    ['find Claims', { name: 'search', text: 'Claims' }],
  ])('%s', (text, expected) => {
    expect(ok(text)).toMatchObject({ ok: true, ...expected });
  });

  test.each<[string, Partial<ParsedCommand>]>([
    ['raci UC-2 prompt accountable ada@example.com', { name: 'raci_assign', useCaseKey: 'UC-2', area: 'prompt_design', part: 'accountable', people: ['ada@example.com'] }],
    ['raci uc-2 Safety, compliance & ethics Responsible Ada Lovelace, <@U012ABCDEF>', { area: 'safety_compliance', part: 'responsible', people: ['Ada Lovelace', '<@U012ABCDEF>'] }],
    ['raci UC-2 ux informed <@U012ABCDEF|ada> <@W0GRACE12> Grace@Example.com', { area: 'user_experience', part: 'informed', people: ['<@U012ABCDEF>', '<@W0GRACE12>', 'grace@example.com'] }],
    ['raci UC-2 prompt consulted none', { area: 'prompt_design', part: 'consulted', people: [] }],
    ['raci UC-2', { name: 'raci', useCaseKey: 'UC-2' }],
    ['raci UC-2 prompt', { name: 'raci', useCaseKey: 'UC-2', area: 'prompt_design' }],
  ])('%s', (text, expected) => {
    expect(okAreas(text)).toMatchObject({ ok: true, ...expected });
  });

  test('reasons, controls, links and people that are missing or wrong are named', () => {
    for (const verb of ['suspend', 'retire']) {
      const f = bad(`${verb} UC-3`);
      expect(f.message).toBe(`a reason is required to ${verb}`);
      expect(f.suggestion).toBe(verb);
      expect(f.usage).toBe(`${verb} UC-n <reason>`);
    }
    expect(bad('resume 3').message).toMatch(/use case id like UC-3/);
    expect(bad('evidence UC-3 https://wiki.example.com/x').usage).toBe('evidence UC-n <control-id> <link> [note]');
    expect(bad('evidence UC-3 CTL-LOGGING notaurl').message).toMatch(/http\(s\) link/);
    expect(bad('evidence UC-3 CTL-LOGGING javascript:alert(1)').message).toMatch(/http\(s\) link/);
    expect(bad('evidence UC-3 <b> https://wiki.example.com/x').message).toMatch(/control id like CTL-LOGGING/);
    expect(bad('update UC-4 now').message).toMatch(/Unexpected "now"/);
    expect(bad('search').suggestion).toBe('search');
    expect(bad(`search ${'x'.repeat(101)}`).message).toMatch(/at most 100/);
    expect(badAreas('raci UC-2 accountable ada@example.com').message).toMatch(/Name the area before accountable/);
    const unknown = badAreas('raci UC-2 catering accountable ada@example.com');
    expect(unknown.message).toContain('catering');
    expect(unknown.message).toContain('prompt_design');
    expect(unknown.suggestion).toBe('raci_assign');
    expect(unknown.usage).toMatch(/^raci UC-n <area> responsible\|accountable\|consulted\|informed/);
    expect(badAreas('raci UC-2 prompt accountable').message).toMatch(/Name who is accountable/);
  });

  test('help and did-you-mean know the new commands', () => {
    expect(ok('help suspend')).toEqual({ ok: true, name: 'help', topic: 'suspend' });
    expect(ok('help search')).toEqual({ ok: true, name: 'help', topic: 'search' });
    expect(bad('suspnd UC-1 broken').suggestion).toBe('suspend');
    expect(bad('serch claims').suggestion).toBe('search');
    expect(bad('evidense UC-1').suggestion).toBe('evidence');
    // The show form keeps its usage for a typo of raci.
    expect(bad('racy UC-3').usage).toBe('raci UC-n [area]');
  });
});
