/**
 * Events the domain emits after a change is stored. Channels and the scheduler subscribe;
 * the domain never sends a chat message itself. Events carry keys and ids, not whole
 * documents: a subscriber reads what it needs.
 */
import type { ApprovalStatus, EvalSummary, IncidentStatus, ModelStatus, Severity, Stage } from './types';

/** A failed case of an evaluation run, as notifications list it. */
export interface EvalCaseNote {
  id: string;
  note: string;
}

interface Base {
  at: Date;
  actorId: string;
}

export type DomainEvent = Base &
  (
    | { type: 'usecase.proposed'; useCaseKey: string }
    | { type: 'usecase.stage_changed'; useCaseKey: string; from: Stage; to: Stage }
    | { type: 'usecase.tier_changed'; useCaseKey: string }
    | { type: 'approval.requested'; approvalKey: string; useCaseKey: string; approverIds: string[]; requesterId: string }
    | { type: 'approval.voted'; approvalKey: string; useCaseKey: string; personId: string }
    | {
        type: 'approval.decided';
        approvalKey: string;
        useCaseKey: string;
        status: Exclude<ApprovalStatus, 'pending'>;
        requesterId: string;
        informedIds: string[];
      }
    | { type: 'incident.reported'; incidentKey: string; ownerId: string; severity: Severity; useCaseKey?: string }
    | { type: 'incident.updated'; incidentKey: string; status: IncidentStatus }
    | { type: 'incident.serious_flagged'; incidentKey: string; deadline: Date }
    | { type: 'model.status_changed'; modelName: string; status: ModelStatus }
    | { type: 'model.updated'; modelName: string }
    | { type: 'review.completed'; useCaseKey: string; nextDueAt: Date }
    /** A use case's first review was scheduled: its nextReviewDue follows (src/domain/reviews/reviewReactions.ts). */
    | { type: 'review.scheduled'; useCaseKey: string; cycle: number; dueAt: Date }
    | { type: 'person.registered'; personId: string }
    | { type: 'person.updated'; personId: string }
    | { type: 'usecase.updated'; useCaseKey: string; fields: string[] }
    | { type: 'usecase.evidence_attached'; useCaseKey: string; controlId: string }
    | { type: 'raci.changed'; useCaseKey: string; area: string }
    /** A recorded evaluation run that passed its gate; recipients: whoever started it. */
    | { type: 'eval.passed'; modelName: string; runId: string; summary: EvalSummary; recipientIds: string[] }
    /**
     * A recorded run that failed its gate: recipients are the model owner, the Accountables of
     * every use case using the model and the starter. The summary and the first failed cases
     * travel with the event so the message needs no second read of the run.
     */
    | {
        type: 'eval.failed';
        modelName: string;
        runId: string;
        summary: EvalSummary;
        reasons: string[];
        failures: EvalCaseNote[];
        failedCount: number;
        recipientIds: string[];
        incidentKey?: string;
      }
  );

export type DomainEventType = DomainEvent['type'];
export type EventOf<T extends DomainEventType> = Extract<DomainEvent, { type: T }>;
