/** Small factories for the scheduler and notification tests (through the real repositories). */
import type { Notifier, OutboundMessage, Repositories } from '../../src/domain/ports';
import type { Person, RiskTier, Stage, UseCase } from '../../src/domain/types';
import { fixtureChange, fixtureChangeFor } from '../support/changes';

let n = 0;
export async function person(repos: Repositories, p: Partial<Person> & { roles?: string[] } = {}): Promise<Person> {
  n++;
  const person = { id: p.id ?? `p${n}_${Math.random().toString(36).slice(2, 7)}`, name: p.name ?? `Person ${n}`, roles: p.roles ?? [], createdAt: new Date('2026-01-01T00:00:00Z'), ...p };
  return (await repos.people.create(person, fixtureChange())).record;
}

export async function useCase(
  repos: Repositories,
  o: { ownerId: string; tier?: RiskTier; stage?: Stage; createdAt: Date; stageEnteredAt?: Date; responsible?: string[]; accountable?: string[]; informed?: string[] },
): Promise<UseCase> {
  const { record } = await repos.useCases.create(
    {
    title: 'Claims triage assistant',
    description: 'Drafts triage notes',
    proposerId: o.ownerId,
    ownerId: o.ownerId,
    stage: o.stage ?? 'production',
    stageEnteredAt: o.stageEnteredAt ?? o.createdAt,
    stageHistory: [],
    tier: o.tier ?? 'high',
    tierReasons: [],
    dataClasses: ['internal'],
    answers: {},
    requiredControls: [],
    evidence: [],
    raci: [
      { area: 'safety_compliance', responsible: o.responsible ?? [], accountable: o.accountable ?? [], consulted: [], informed: o.informed ?? [] },
    ],
    models: [],
    createdAt: o.createdAt,
    updatedAt: o.createdAt,
    },
    fixtureChangeFor(),
  );
  return record;
}

/** A Notifier double: implements the real interface, records every call, can fail or hang. */
export class RecordingNotifier implements Notifier {
  calls: OutboundMessage[] = [];
  sent: OutboundMessage[] = [];
  failWith: string | null = null;
  hang = false;
  delayMs = 0;
  async send(message: OutboundMessage): Promise<{ ref: string }> {
    this.calls.push(message);
    if (this.hang) return new Promise(() => undefined);
    if (this.delayMs) await new Promise((r) => setTimeout(r, this.delayMs));
    if (this.failWith) throw new Error(this.failWith);
    this.sent.push(message);
    return { ref: `ref-${this.sent.length}` };
  }
  keys(): string[] {
    return this.sent.map((m) => m.key);
  }
}

export const duplicates = (keys: string[]): string[] => keys.filter((k, i) => keys.indexOf(k) !== i);
