import { ART73_FORM_ID, INCIDENT_FORM_ID, INTAKE_FORM_ID, REJECT_FORM_ID, REVIEW_DONE_FORM_ID } from '../../src/conversation/actions';
import { incidentFormCard, intakeFormCard, parseFormSubmission, questionInputId } from '../../src/conversation/cards';
import { cardToSlackModal, slackViewValues } from '../../src/conversation/render';
import { loadPolicy } from '../../src/playbooks';
import { baseAnswers } from '../support/usecases';

const policy = loadPolicy();

/** Intake values as a person would submit them, from the shared test answers. */
function intakeValues(overrides: Record<string, unknown> = {}): Record<string, string | string[] | boolean> {
  const answers = baseAnswers(overrides);
  const values: Record<string, string | string[] | boolean> = { title: 'Support drafting', description: 'Drafts replies', models: ['gpt-4o-mini'] };
  for (const q of policy.risk.questions) {
    const a = answers[q.id];
    if (a === undefined) continue;
    values[questionInputId(q.id)] = q.kind === 'boolean' ? (q.required ? (a ? 'yes' : 'no') : (a as boolean)) : (a as string | string[]);
  }
  return values;
}

describe('parseFormSubmission: intake', () => {
  test('valid answers become typed input with data classes', () => {
    const r = parseFormSubmission(INTAKE_FORM_ID, intakeValues({ annex_iii_areas: ['employment_recruitment'], data_classes: ['personal', 'internal'] }), { policy });
    if (!r.ok) throw new Error(r.message);
    expect(r.data.title).toBe('Support drafting');
    expect(r.data.models).toEqual(['gpt-4o-mini']);
    expect(r.data.answers.annex_iii_areas).toEqual(['employment_recruitment']);
    expect(r.data.dataClasses.sort()).toEqual(['internal', 'personal']);
    const booleans = policy.risk.questions.filter((q) => q.kind === 'boolean' && r.data.answers[q.id] !== undefined);
    expect(booleans.length).toBeGreaterThan(0);
    for (const q of booleans) expect(typeof r.data.answers[q.id]).toBe('boolean');
  });

  test('a missing title and a missing required answer are named', () => {
    const noTitle = parseFormSubmission(INTAKE_FORM_ID, { ...intakeValues(), title: '  ' }, { policy });
    expect(noTitle).toMatchObject({ ok: false, field: 'title', message: 'Title: required' });
    const required = policy.risk.questions.find((q) => q.required && !q.when && q.kind === 'multi_select')!;
    const values = intakeValues();
    delete values[questionInputId(required.id)];
    const r = parseFormSubmission(INTAKE_FORM_ID, values, { policy });
    expect(r).toMatchObject({ ok: false, field: questionInputId(required.id) });
  });

  test('an option that is not in the playbook is refused', () => {
    const r = parseFormSubmission(INTAKE_FORM_ID, intakeValues({ data_classes: ['top_secret'] }), { policy });
    expect(r).toMatchObject({ ok: false, field: questionInputId('data_classes') });
  });

  test('Adaptive Card style values (comma-separated multi-selects, "true"/"false") are accepted', () => {
    const values: Record<string, string> = {};
    for (const [k, v] of Object.entries(intakeValues({ data_classes: ['personal', 'internal'] }))) values[k] = Array.isArray(v) ? v.join(',') : String(v);
    const r = parseFormSubmission(INTAKE_FORM_ID, values, { policy });
    if (!r.ok) throw new Error(r.message);
    expect(r.data.dataClasses.sort()).toEqual(['internal', 'personal']);
  });

  test('Slack view state round-trips through slackViewValues', () => {
    const view = cardToSlackModal(intakeFormCard({ policy, models: [] }));
    const values = intakeValues();
    const state: Record<string, Record<string, any>> = {};
    for (const block of view.blocks.filter((b) => b.type === 'input') as any[]) {
      const id = block.block_id.replace('steward.input.', '');
      const v = values[id];
      const el = block.element;
      state[block.block_id] = {
        value:
          el.type === 'checkboxes'
            ? { type: 'checkboxes', selected_options: v === true ? [{ value: 'true' }] : [] }
            : el.type === 'multi_static_select'
              ? { type: el.type, selected_options: ((v as string[]) ?? []).map((value) => ({ value })) }
              : el.type === 'static_select'
                ? { type: el.type, selected_option: v === undefined ? null : { value: v } }
                : { type: el.type, value: Array.isArray(v) ? v.join(',') : (v as string) },
      };
    }
    const r = parseFormSubmission(INTAKE_FORM_ID, slackViewValues(state, view.private_metadata), { policy });
    if (!r.ok) throw new Error(r.message);
    expect(r.data.title).toBe('Support drafting');
  });
});

describe('parseFormSubmission: incident', () => {
  const category = policy.incidents.categories[0]!.id;
  test('typed input; the most urgent ticked seriousness basis wins', () => {
    const qs = policy.incidents.serious.questions;
    const values: Record<string, string | boolean> = { use_case: 'uc-4', category, severity: 'SEV2', description: 'It leaked a phone number', kill_switch: 'true' };
    for (const q of qs) values[`serious_${q.id}`] = true;
    const r = parseFormSubmission(INCIDENT_FORM_ID, values, { policy });
    if (!r.ok) throw new Error(r.message);
    expect(r.data).toMatchObject({ useCaseKey: 'UC-4', category, severity: 'sev2', killSwitch: true });
    const days = policy.incidents.serious.deadlinesDays;
    const shortest = Math.min(...qs.map((q) => days[q.basis]));
    expect(days[r.data.seriousBasis!]).toBe(shortest);
  });

  test('nothing ticked: not serious, no kill switch', () => {
    const r = parseFormSubmission(INCIDENT_FORM_ID, { category, severity: 'sev4', description: 'Odd answer' }, { policy });
    if (!r.ok) throw new Error(r.message);
    expect(r.data.seriousBasis).toBeUndefined();
    expect(r.data.killSwitch).toBe(false);
    expect(Object.values(r.data.serious).every((v) => v === false)).toBe(true);
  });

  test('unknown category or severity and a missing description are refused', () => {
    expect(parseFormSubmission(INCIDENT_FORM_ID, { category: 'gremlins', severity: 'sev2', description: 'x' }, { policy })).toMatchObject({ ok: false, field: 'category' });
    expect(parseFormSubmission(INCIDENT_FORM_ID, { category, severity: 'sev9', description: 'x' }, { policy })).toMatchObject({ ok: false, field: 'severity' });
    expect(parseFormSubmission(INCIDENT_FORM_ID, { category, severity: 'sev2' }, { policy })).toMatchObject({ ok: false, field: 'description' });
  });

  test('the form offers the playbook categories and preselects the use case', () => {
    const card = incidentFormCard({ policy, useCases: [{ key: 'UC-4', title: 'Chat' }], useCaseKey: 'UC-4' });
    const input = card.form!.inputs.find((i) => i.id === 'category')!;
    expect(input.options!.map((o) => o.value)).toEqual(policy.incidents.categories.map((c) => c.id));
    expect(card.form!.inputs.find((i) => i.id === 'use_case')!.initial).toBe('UC-4');
    expect(card.form!.hidden).toEqual({ useCaseKey: 'UC-4' });
  });
});

describe('parseFormSubmission: reject and review done', () => {
  test('reject needs a reason and the hidden approval key', () => {
    expect(parseFormSubmission(REJECT_FORM_ID, { approvalKey: 'apr-3', reason: 'No DPIA attached' }, { policy })).toEqual({
      ok: true,
      formId: REJECT_FORM_ID,
      data: { approvalKey: 'APR-3', reason: 'No DPIA attached' },
    });
    expect(parseFormSubmission(REJECT_FORM_ID, { approvalKey: 'APR-3', reason: ' ' }, { policy })).toMatchObject({ ok: false, field: 'reason' });
    expect(parseFormSubmission(REJECT_FORM_ID, { reason: 'fine reason' }, { policy })).toMatchObject({ ok: false, field: 'approvalKey' });
  });

  test('review done needs the attestation and an http(s) evidence link', () => {
    const good = { useCaseKey: 'UC-3', evidence_url: 'https://wiki.example.com/review/3', attestation: ['true'] };
    expect(parseFormSubmission(REVIEW_DONE_FORM_ID, good, { policy })).toMatchObject({ ok: true, data: { useCaseKey: 'UC-3', evidenceUrl: good.evidence_url, attestation: true } });
    expect(parseFormSubmission(REVIEW_DONE_FORM_ID, { ...good, attestation: false }, { policy })).toMatchObject({ ok: false, field: 'attestation' });
    const badUrl = parseFormSubmission(REVIEW_DONE_FORM_ID, { ...good, evidence_url: 'javascript:alert(1)' }, { policy });
    expect(badUrl).toMatchObject({ ok: false, field: 'evidence_url' });
    expect(!badUrl.ok && badUrl.message).toMatch(/http\(s\)/);
  });
});

describe('parseFormSubmission: the Art. 73 clock', () => {
  const now = new Date('2026-09-01T09:00:00Z');
  const category = policy.incidents.categories[0]!.id;
  const q = policy.incidents.serious.questions[0]!;
  const incident = (aware?: string) =>
    parseFormSubmission(INCIDENT_FORM_ID, { category, severity: 'sev2', description: 'x happened', [`serious_${q.id}`]: true, ...(aware !== undefined ? { aware_since: aware } : {}) }, { policy, now });

  test('"Aware since" is read from the start of the day; absent (an old form) leaves it to the handler', () => {
    const r = incident('2026-08-20');
    if (!r.ok) throw new Error(r.message);
    expect(r.data.awareAt?.toISOString()).toBe('2026-08-20T00:00:00.000Z');
    expect(r.data.seriousBasis).toBe(q.basis);
    const today = incident('2026-09-01');
    expect(today.ok && today.data.awareAt?.toISOString()).toBe('2026-09-01T00:00:00.000Z');
    const none = incident();
    expect(none.ok && none.data.awareAt).toBeUndefined();
    expect(incident('')).toMatchObject({ ok: true });
  });

  test('"Aware since" in the future or not a date is refused at its input', () => {
    expect(incident('2026-09-02')).toMatchObject({ ok: false, field: 'aware_since', message: 'Aware since: the day cannot be in the future.' });
    expect(incident('01/09/2026')).toMatchObject({ ok: false, field: 'aware_since' });
  });

  test('the Art. 73 report form: a past day counts to its end, today to now, a future day is refused', () => {
    const past = parseFormSubmission(ART73_FORM_ID, { incidentKey: 'inc-4', report_kind: 'initial', reference: ' MSA-1 ', submitted_on: '2026-08-30' }, { policy, now });
    if (!past.ok) throw new Error(past.message);
    expect(past.data).toEqual({ incidentKey: 'INC-4', kind: 'initial', reportRef: 'MSA-1', submittedAt: new Date('2026-08-30T23:59:59.999Z') });
    const today = parseFormSubmission(ART73_FORM_ID, { incidentKey: 'INC-4', report_kind: 'complete', reference: 'MSA-1', submitted_on: '2026-09-01' }, { policy, now });
    expect(today.ok && today.data.submittedAt).toEqual(now);
    expect(parseFormSubmission(ART73_FORM_ID, { incidentKey: 'INC-4', report_kind: 'complete', reference: 'MSA-1', submitted_on: '2026-09-02' }, { policy, now })).toMatchObject({ ok: false, field: 'submitted_on' });
    expect(parseFormSubmission(ART73_FORM_ID, { incidentKey: 'INC-4', report_kind: 'complete', submitted_on: '2026-08-30' }, { policy, now })).toMatchObject({ ok: false, field: 'reference' });
    expect(parseFormSubmission(ART73_FORM_ID, { incidentKey: 'UC-4', report_kind: 'complete', reference: 'MSA-1', submitted_on: '2026-08-30' }, { policy, now })).toMatchObject({ ok: false, field: 'incidentKey' });
    // Art. 73(5): initial or complete, picked; anything else (or nothing) is refused on that input.
    for (const report_kind of [undefined, '', 'final']) {
      expect(parseFormSubmission(ART73_FORM_ID, { incidentKey: 'INC-4', report_kind, reference: 'MSA-1', submitted_on: '2026-08-30' }, { policy, now })).toEqual({ ok: false, formId: ART73_FORM_ID, field: 'report_kind', message: 'Report: choose initial or complete' });
    }
  });
});
