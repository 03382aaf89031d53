import { checkModelUse } from '../../src/domain/registry/checkModelUse';
import { getModel } from '../../src/domain/registry/getModel';
import { listModels } from '../../src/domain/registry/listModels';
import { registerModel } from '../../src/domain/registry/registerModel';
import { setModelStatus } from '../../src/domain/registry/setModelStatus';
import { updateModel } from '../../src/domain/registry/updateModel';
import type { Person } from '../../src/domain/types';
import { useTestContext } from '../support/context';
import { makeModel, makePerson, makeUseCase, refusal } from './governance.fixtures';

const t = useTestContext();
let eng: Person, pm: Person, sec: Person, legal: Person;

beforeAll(async () => {
  eng = await makePerson(t.ctx, ['llmops_engineer'], 'Eng');
  pm = await makePerson(t.ctx, ['llm_product_manager'], 'PM');
  sec = await makePerson(t.ctx, ['ai_security_specialist'], 'Sec');
  legal = await makePerson(t.ctx, ['ai_governance_legal'], 'Legal');
});

const base = {
  provider: 'openai',
  version: '2024-08-06',
  hosting: 'hosted_api' as const,
  modelName: 'gpt-4o',
  allowedDataClasses: ['public' as const, 'internal' as const],
};

describe('registerModel', () => {
  it('registers a proposed model under a lower-case handle, audited, with an event', async () => {
    const m = await registerModel(t.ctx, { ...base, actorId: eng.id, name: 'GPT-4o-Main', apiKeyEnv: 'OPENAI_API_KEY', pricePer1kInput: 0.0025 });
    expect(m).toMatchObject({ name: 'gpt-4o-main', status: 'proposed', ownerId: eng.id, apiKeyEnv: 'OPENAI_API_KEY' });
    const stored = await t.ctx.repos.models.get('GPT-4O-MAIN');
    expect(stored?.pricePer1kInput).toBe(0.0025);
    // Version 1 of the model is its audit entry.
    const last = await t.ctx.repos.audit.head('model:gpt-4o-main');
    expect(last).toMatchObject({ version: 1, action: 'model.registered', subject: 'gpt-4o-main', actorId: eng.id, data: { ownerId: eng.id, hosting: 'hosted_api' } });
    expect(t.events.some((e) => e.type === 'model.status_changed' && e.modelName === 'gpt-4o-main' && e.status === 'proposed')).toBe(true);
  });

  it('refuses a duplicate name whatever its case', async () => {
    const err = await refusal(registerModel(t.ctx, { ...base, actorId: eng.id, name: 'gpt-4O-main' }));
    expect(err).toMatchObject({ kind: 'conflict', code: 'model.exists' });
  });

  it('refuses people without an engineering or CoE role', async () => {
    const err = await refusal(registerModel(t.ctx, { ...base, actorId: pm.id, name: 'pm-model' }));
    expect(err).toMatchObject({ kind: 'forbidden', code: 'model.register_forbidden' });
  });

  it.each([
    ['an OpenAI key', 'sk-proj-abcdefghijklmnopqrstuvwxyz012345'],
    ['an AWS access key id', 'AKIAIOSFODNN7EXAMPLE'],
    ['a GitHub token', 'ghp_abcdefghijklmnopqrstuvwxyz0123456789'],
    ['a long random token', 'A1B2C3D4E5F6G7H8I9J0K1L2'],
  ])('refuses %s given as apiKeyEnv, without echoing it', async (_what, secret) => {
    const err = await refusal(registerModel(t.ctx, { ...base, actorId: eng.id, name: 'leaky', apiKeyEnv: secret }));
    expect(err).toMatchObject({ kind: 'validation', code: 'model.invalid' });
    expect(err.message).toMatch(/^apiKeyEnv: this looks like an API key itself/);
    expect(JSON.stringify(err)).not.toContain(secret);
    expect(await t.ctx.repos.models.get('leaky')).toBeNull();
  });

  it('refuses an apiKeyEnv that is not an environment variable name', async () => {
    const err = await refusal(registerModel(t.ctx, { ...base, actorId: eng.id, name: 'lower', apiKeyEnv: 'openai key' }));
    expect(err.message).toMatch(/^apiKeyEnv: expected an environment variable name/);
  });

  it('needs a base URL for a self-hosted model and a real URL when given', async () => {
    const noUrl = await refusal(registerModel(t.ctx, { ...base, actorId: eng.id, name: 'gpu', hosting: 'self_hosted' }));
    expect(noUrl.message).toMatch(/^baseUrl: a self-hosted model needs the base URL/);
    const badUrl = await refusal(registerModel(t.ctx, { ...base, actorId: eng.id, name: 'gpu', hosting: 'self_hosted', baseUrl: 'not a url' }));
    expect(badUrl.message).toMatch(/^baseUrl: expected an http\(s\) URL/);
    const ok = await registerModel(t.ctx, { ...base, actorId: eng.id, name: 'gpu', hosting: 'self_hosted', baseUrl: 'http://127.0.0.1:8000/v1', modelName: 'meta-llama/Llama-3.1-8B-Instruct' });
    expect(ok.baseUrl).toBe('http://127.0.0.1:8000/v1');
  });

  it('refuses an unknown data class with a readable message', async () => {
    const err = await refusal(registerModel(t.ctx, { ...base, actorId: eng.id, name: 'x1', allowedDataClasses: ['secret' as never] }));
    expect(err.message).toMatch(/^allowedDataClasses\.0: /);
  });
});

describe('getModel / listModels', () => {
  it('finds a model case-insensitively and says which one is missing', async () => {
    expect((await getModel(t.ctx, { name: 'GPU' })).name).toBe('gpu');
    const err = await refusal(getModel(t.ctx, { name: 'nope' }));
    expect(err).toMatchObject({ kind: 'not_found', code: 'model.not_found' });
    expect(err.message).toContain('nope');
  });

  it('filters by status and data class', async () => {
    await makeModel(t.ctx, { name: 'listed-conf', ownerId: eng.id, allowedDataClasses: ['public', 'internal', 'confidential'] });
    const conf = await listModels(t.ctx, { dataClass: 'confidential' });
    expect(conf.map((m) => m.name)).toEqual(['listed-conf']);
    const proposed = await listModels(t.ctx, { status: 'proposed' });
    expect(proposed.map((m) => m.name).sort()).toEqual(['gpt-4o-main', 'gpu']);
  });
});

describe('setModelStatus', () => {
  it('refuses approval by the engineer who registered it', async () => {
    const err = await refusal(setModelStatus(t.ctx, { actorId: eng.id, name: 'gpt-4o-main', status: 'approved', reason: 'looks fine' }));
    expect(err).toMatchObject({ kind: 'forbidden', code: 'model.approve_forbidden' });
  });

  it('lets security approve, audits the change and emits model.status_changed', async () => {
    const m = await setModelStatus(t.ctx, { actorId: sec.id, name: 'gpt-4o-main', status: 'approved', reason: 'DPA signed, red team passed' });
    expect(m).toMatchObject({ status: 'approved', statusReason: 'DPA signed, red team passed' });
    expect((await t.ctx.repos.models.get('gpt-4o-main'))?.status).toBe('approved');
    const last = await t.ctx.repos.audit.head('model:gpt-4o-main');
    expect(last).toMatchObject({ action: 'model.status_changed', actorId: sec.id, data: { from: 'proposed', to: 'approved' } });
    expect(last!.state).toMatchObject({ status: 'approved', statusReason: 'DPA signed, red team passed' });
    expect(t.events.at(-1)).toMatchObject({ type: 'model.status_changed', modelName: 'gpt-4o-main', status: 'approved' });
  });

  it('refuses a change to the same status and a missing reason', async () => {
    expect(await refusal(setModelStatus(t.ctx, { actorId: sec.id, name: 'gpt-4o-main', status: 'approved', reason: 'again' }))).toMatchObject({ code: 'model.status_unchanged' });
    const err = await refusal(setModelStatus(t.ctx, { actorId: sec.id, name: 'gpt-4o-main', status: 'banned', reason: '' }));
    expect(err.message).toMatch(/^reason: /);
  });

  it('lets the engineer ban but not a product manager', async () => {
    expect(await refusal(setModelStatus(t.ctx, { actorId: pm.id, name: 'gpu', status: 'banned', reason: 'not wanted' }))).toMatchObject({ code: 'model.status_forbidden' });
    const m = await setModelStatus(t.ctx, { actorId: eng.id, name: 'gpu', status: 'banned', reason: 'weights licence revoked' });
    expect(m.status).toBe('banned');
  });
});

describe('updateModel', () => {
  it('lets the owner narrow data classes but not widen them', async () => {
    const m = await makeModel(t.ctx, { name: 'upd', ownerId: eng.id, allowedDataClasses: ['public', 'internal'] });
    const narrowed = await updateModel(t.ctx, { actorId: eng.id, name: m.name, changes: { allowedDataClasses: ['public'], version: '2' } });
    expect(narrowed).toMatchObject({ allowedDataClasses: ['public'], version: '2' });
    const err = await refusal(updateModel(t.ctx, { actorId: eng.id, name: m.name, changes: { allowedDataClasses: ['public', 'personal'] } }));
    expect(err).toMatchObject({ kind: 'forbidden', code: 'model.widen_forbidden' });
    expect(err.message).toContain('personal');
    const widened = await updateModel(t.ctx, { actorId: legal.id, name: m.name, changes: { allowedDataClasses: ['public', 'personal'] } });
    expect((await t.ctx.repos.models.get('upd'))?.allowedDataClasses).toEqual(widened.allowedDataClasses);
    expect(t.events.at(-1)).toMatchObject({ type: 'model.updated', modelName: 'upd' });
    const audit = await t.ctx.repos.audit.head('model:upd');
    expect(audit).toMatchObject({ action: 'model.updated', actorId: legal.id });
    expect(audit?.data).toMatchObject({ changes: { allowedDataClasses: { from: ['public'], to: ['public', 'personal'] } } });
  });

  it('refuses unknown fields and empty changes', async () => {
    expect((await refusal(updateModel(t.ctx, { actorId: eng.id, name: 'upd', changes: {} }))).code).toBe('model.no_changes');
    expect((await refusal(updateModel(t.ctx, { actorId: eng.id, name: 'upd', changes: { status: 'approved' } as never }))).kind).toBe('validation');
  });
});

describe('checkModelUse', () => {
  let ucKey: string;
  beforeAll(async () => {
    const uc = await makeUseCase(t.ctx, { ownerId: pm.id, dataClasses: ['internal', 'confidential', 'personal'], tier: 'high' });
    ucKey = uc.key;
    await makeModel(t.ctx, { name: 'conf-ok', ownerId: eng.id, allowedDataClasses: ['public', 'internal', 'confidential'] });
    await makeModel(t.ctx, { name: 'banned-one', ownerId: eng.id, status: 'banned', statusReason: 'vendor breach', allowedDataClasses: ['public', 'internal', 'confidential', 'personal'] });
    await makeModel(t.ctx, { name: 'restricted-one', ownerId: eng.id, status: 'restricted', statusReason: 'failed eval', allowedDataClasses: ['public', 'internal', 'confidential'] });
    await makeModel(t.ctx, { name: 'old-one', ownerId: eng.id, status: 'deprecated', allowedDataClasses: ['internal'] });
    await makeModel(t.ctx, { name: 'new-one', ownerId: eng.id, status: 'proposed', allowedDataClasses: ['internal'] });
  });

  it('allows an approved model within its data classes', async () => {
    const r = await checkModelUse(t.ctx, { useCaseKey: ucKey.toLowerCase(), modelName: 'CONF-OK', dataClass: 'confidential' });
    expect(r.allowed).toBe(true);
    expect(r.reason).toBe(`${ucKey} may use conf-ok with confidential data: the model is approved for confidential data.`);
  });

  it('refuses a model used beyond its data classes, naming model, class and why', async () => {
    const r = await checkModelUse(t.ctx, { useCaseKey: ucKey, modelName: 'conf-ok', dataClass: 'personal' });
    expect(r).toEqual({
      allowed: false,
      reason: `${ucKey} may not use conf-ok with personal data: the model is approved only for public, internal, confidential.`,
    });
  });

  it('refuses a banned model even for a class it lists', async () => {
    const r = await checkModelUse(t.ctx, { useCaseKey: ucKey, modelName: 'banned-one', dataClass: 'internal' });
    expect(r.allowed).toBe(false);
    expect(r.reason).toBe(`${ucKey} may not use banned-one with internal data: the model is banned (vendor breach).`);
  });

  it('refuses deprecated and proposed models', async () => {
    expect((await checkModelUse(t.ctx, { useCaseKey: ucKey, modelName: 'old-one', dataClass: 'internal' })).reason).toMatch(/the model is deprecated\.$/);
    expect((await checkModelUse(t.ctx, { useCaseKey: ucKey, modelName: 'new-one', dataClass: 'internal' })).reason).toMatch(/only proposed/);
  });

  it('limits a restricted model to public and internal data', async () => {
    expect((await checkModelUse(t.ctx, { useCaseKey: ucKey, modelName: 'restricted-one', dataClass: 'internal' })).allowed).toBe(true);
    const r = await checkModelUse(t.ctx, { useCaseKey: ucKey, modelName: 'restricted-one', dataClass: 'confidential' });
    expect(r.allowed).toBe(false);
    expect(r.reason).toContain('restricted (failed eval)');
  });

  it('answers about the class asked even when the use case did not declare it', async () => {
    const r = await checkModelUse(t.ctx, { useCaseKey: ucKey, modelName: 'conf-ok', dataClass: 'public' });
    expect(r.allowed).toBe(true);
    expect(r.reason).toContain(`public is not among the data classes declared for ${ucKey}`);
  });

  it('refuses any model for a prohibited use case and reports unknown keys', async () => {
    const bad = await makeUseCase(t.ctx, { ownerId: pm.id, tier: 'prohibited', stage: 'ideation' });
    expect((await checkModelUse(t.ctx, { useCaseKey: bad.key, modelName: 'conf-ok', dataClass: 'public' })).reason).toMatch(/prohibited practice/);
    expect(await refusal(checkModelUse(t.ctx, { useCaseKey: 'UC-999', modelName: 'conf-ok', dataClass: 'public' }))).toMatchObject({ code: 'usecase.not_found' });
    expect(await refusal(checkModelUse(t.ctx, { useCaseKey: ucKey, modelName: 'ghost', dataClass: 'public' }))).toMatchObject({ code: 'model.not_found' });
  });
});
