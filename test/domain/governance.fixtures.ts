/**
 * Factories for the governance tests (registry, incidents, reviews, metrics): people and use
 * cases written straight through the repositories, so each test controls stage, tier, RACI
 * and dates exactly. Operations under test still run through the domain.
 */
import { randomUUID } from 'node:crypto';
import type { DomainContext } from '../../src/domain/ports';
import type { Person, RegisteredModel, UseCase } from '../../src/domain/types';
import { makeUseCase as plainUseCase } from '../support/factories';
import { fixtureChange, fixtureChangeFor } from '../support/changes';

export async function makePerson(ctx: DomainContext, roles: string[], name = roles.join('+') || 'nobody'): Promise<Person> {
  return (await ctx.repos.people.create({ id: randomUUID(), name, roles, createdAt: ctx.clock.now() }, fixtureChange())).record;
}

export async function makeUseCase(ctx: DomainContext, over: Partial<Omit<UseCase, 'key' | 'seq'>> & { ownerId: string }): Promise<UseCase> {
  const now = ctx.clock.now();
  const { key: _key, seq: _seq, ...base } = plainUseCase({
    title: 'Support answer drafting',
    description: 'Drafts replies to customer tickets',
    proposerId: over.ownerId,
    stage: 'pilot',
    stageEnteredAt: now,
    stageHistory: [{ from: null, to: 'ideation', at: now, by: over.ownerId }],
    createdAt: now,
    updatedAt: now,
  });
  return (await ctx.repos.useCases.create({ ...base, ...over }, fixtureChangeFor())).record;
}

export async function makeModel(ctx: DomainContext, over: Partial<RegisteredModel> & { name: string; ownerId: string }): Promise<RegisteredModel> {
  const now = ctx.clock.now();
  const { record } = await ctx.repos.models.create(
    {
    displayName: over.name,
    provider: 'openai',
    version: '2024-08-06',
    hosting: 'hosted_api',
    modelName: 'gpt-4o',
    apiKeyEnv: 'OPENAI_API_KEY',
    allowedDataClasses: ['public', 'internal'],
    pricePer1kInput: 0.0025,
    pricePer1kOutput: 0.01,
    status: 'approved',
    createdAt: now,
    updatedAt: now,
    ...over,
    },
    fixtureChange(),
  );
  return record;
}

/** Runs an operation expected to fail and returns the error (fails the test if it succeeds). */
export async function refusal(p: Promise<unknown>): Promise<{ code: string; kind: string; message: string }> {
  try {
    await p;
  } catch (e) {
    return e as { code: string; kind: string; message: string };
  }
  throw new Error('expected the operation to be refused, but it succeeded');
}
