/**
 * The store: mongoose implementations of the domain's repository ports. Each file owns one
 * collection and its indexes; unique indexes carry every exactly-once guarantee.
 */
import type { Connection } from 'mongoose';
import type { Repositories } from '../domain/ports';
import { MongoApprovalRepository } from './approvals.repo';
import { MongoAuditRepository } from './audit.repo';
import { MongoClaimRepository } from './claims.repo';
import { MongoIncidentRepository } from './incidents.repo';
import { MongoModelRepository } from './models.repo';
import { MongoPeopleRepository } from './people.repo';
import { MongoReviewRepository } from './reviews.repo';
import { MongoUseCaseRepository } from './useCases.repo';

export function createRepositories(conn: Connection): Repositories {
  return {
    people: new MongoPeopleRepository(conn),
    useCases: new MongoUseCaseRepository(conn),
    approvals: new MongoApprovalRepository(conn),
    models: new MongoModelRepository(conn),
    incidents: new MongoIncidentRepository(conn),
    audit: new MongoAuditRepository(conn),
    reviews: new MongoReviewRepository(conn),
    claims: new MongoClaimRepository(conn),
  };
}

/** Builds every index before serving: unique indexes must exist before the first claim. */
export async function ensureIndexes(conn: Connection): Promise<void> {
  await Promise.all(Object.values(conn.models).map((m) => m.init()));
}
