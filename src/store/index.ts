/**
 * The store: mongoose implementations of the domain's repository ports. Each file owns one
 * collection and its indexes; unique indexes carry every exactly-once guarantee.
 */
import type { Connection } from 'mongoose';
import type { Repositories } from '../domain/ports';
import { MongoApprovalRepository } from './approvals.repo';
import { MongoHistoryRepository } from './history.repo';
import { MongoClaimRepository } from './claims.repo';
import { MongoIncidentRepository } from './incidents.repo';
import { MongoModelRepository } from './models.repo';
import { MongoPeopleRepository } from './people.repo';
import { MongoPersonalDataStore } from './personalData';
import { MongoReviewRepository } from './reviews.repo';
import { MongoUseCaseRepository } from './useCases.repo';

export interface StoreOptions {
  /** HMAC key of the audit chain and checkpoints; development and tests use a fixed one. */
  auditSigningKey?: string;
}

/** Every record repository writes its versions through the one history (src/store/versioned.ts). */
export function createRepositories(conn: Connection, opts: StoreOptions = {}): Repositories {
  const history = new MongoHistoryRepository(conn, opts.auditSigningKey);
  const people = new MongoPeopleRepository(conn, history);
  return {
    people,
    useCases: new MongoUseCaseRepository(conn, history),
    approvals: new MongoApprovalRepository(conn, history),
    models: new MongoModelRepository(conn, history),
    incidents: new MongoIncidentRepository(conn, history),
    audit: history,
    reviews: new MongoReviewRepository(conn, history),
    claims: new MongoClaimRepository(conn),
    personalData: new MongoPersonalDataStore(conn, people.vault),
  };
}

/** Builds every index before serving: unique indexes must exist before the first claim. */
export async function ensureIndexes(conn: Connection): Promise<void> {
  await Promise.all(Object.values(conn.models).map((m) => m.init()));
}
