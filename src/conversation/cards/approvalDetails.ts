/**
 * What an approver needs to decide without opening anything else, and where the vote stands:
 * the shared progress line ("2 of 4 approved: Security ✓, Legal …"), the use case's tier and
 * the legal basis for it, evidence per required control, and each model's latest evaluation.
 * Pure builders for approval.ts.
 */
import { controlsDue, type ControlDue } from '../../domain/obligations/controlsDue';
import { obligationsFor } from '../../domain/obligations/obligationsFor';
import type { Policy } from '../../domain/policy';
import type { Approval, ControlEvidence, RegisteredModel, UseCase } from '../../domain/types';
import { formatDay, percent, roleName, tierLabel } from './format';
import type { Section } from './model';

/** The parts of a use case the request shows (older callers pass only key and title). */
export type ApprovalUseCase = Pick<UseCase, 'key' | 'title'> &
  Partial<Pick<UseCase, 'tier' | 'tierReasons' | 'requiredControls' | 'evidence' | 'models' | 'answers'>>;

/** The parts of a registry model the request shows. */
export type ApprovalModel = Pick<RegisteredModel, 'name' | 'status'> & Partial<Pick<RegisteredModel, 'latestEval'>>;

/**
 * One mark per required role: ✓ approved for it, ✗ rejected by someone holding it, … waiting
 * (– once decided without it).
 * The same line is shown on every copy, so everyone sees the same progress.
 */
export function progressLine(approval: Approval, policy: Policy): string {
  const approvals = approval.votes.filter((v) => v.decision === 'approve');
  const marks = approval.requiredRoles.map((role) => {
    // "…" waits for a vote; once decided, a role nobody voted for is no longer waited on.
    const open = approval.status === 'pending' ? '…' : '–';
    const mark = approvals.some((v) => v.role === role) ? '✓' : approval.votes.some((v) => v.decision === 'reject' && v.role === role) ? '✗' : open;
    return `${roleName(policy, role)} ${mark}`;
  });
  const rejected = approval.votes.filter((v) => v.decision === 'reject').length;
  const head = `${approvals.length} of ${approval.quorum} approved${rejected ? `, ${rejected} rejected` : ''}`;
  return marks.length ? `${head}: ${marks.join(', ')}` : head;
}

function evidenceLine(id: string, policy: Policy, evidence: readonly ControlEvidence[], later?: ControlDue): string {
  const title = policy.controls.find((c) => c.id === id)?.title ?? id;
  const last = evidence.filter((e) => e.controlId === id).at(-1);
  if (last) return `✓ ${title}: evidence of ${formatDay(last.at)}`;
  // The gate does not demand evidence for obligations that do not apply yet; it says when they will.
  return later ? `○ ${title}: not required yet (${later.articles.join(', ')} ${later.articles.length > 1 ? 'apply' : 'applies'} from ${later.from})` : `✗ ${title}: no evidence yet`;
}

/** Controls whose every obligation applies only later (needs the tier and answers to know). */
function notYetDue(policy: Policy, useCase: ApprovalUseCase, now: Date | undefined): Map<string, ControlDue> {
  if (!now || !useCase.tier || !useCase.answers || !useCase.requiredControls) return new Map();
  const obligations = obligationsFor({ tier: useCase.tier, answers: useCase.answers }, policy, now);
  return new Map(controlsDue(useCase.requiredControls, obligations).filter((c) => !c.due).map((c) => [c.controlId, c]));
}

function evalLine(model: ApprovalModel): string {
  const e = model.latestEval;
  if (!e) return `${model.name}: not evaluated yet`;
  const outcome = e.passed ? 'passed' : 'FAILED';
  return `${model.name}: ${outcome} ${e.suite} on ${formatDay(e.at)} (${percent(e.passRate)} of cases)${model.status === 'restricted' ? ' · model restricted' : ''}`;
}

/** Tier and its legal basis, evidence per control, latest evaluations: only the parts known. */
export function decisionSections(policy: Policy, useCase: ApprovalUseCase | undefined, models: readonly ApprovalModel[], now?: Date): Section[] {
  if (!useCase) return [];
  const sections: Section[] = [];
  if (useCase.tier) {
    const reasons = useCase.tierReasons?.length ? useCase.tierReasons.map((r) => `• ${r}`).join('\n') : 'No risk signals in the intake answers.';
    sections.push({ title: `Risk tier: ${tierLabel(useCase.tier)}`, text: reasons });
  }
  if (useCase.requiredControls) {
    const evidence = useCase.evidence ?? [];
    const done = useCase.requiredControls.filter((id) => evidence.some((e) => e.controlId === id)).length;
    const later = notYetDue(policy, useCase, now);
    sections.push({
      title: `Evidence (${done} of ${useCase.requiredControls.length} controls${later.size ? `; ${later.size} not required yet` : ''})`,
      text: useCase.requiredControls.length ? useCase.requiredControls.map((id) => evidenceLine(id, policy, evidence, later.get(id))).join('\n') : 'No control is required for this tier and data.',
    });
  }
  if (useCase.models) {
    const byName = new Map(models.map((m) => [m.name, m]));
    const lines = useCase.models.map((name) => {
      const m = byName.get(name);
      return m ? evalLine(m) : `${name}: not in the model registry`;
    });
    sections.push({ title: 'Latest evaluation', text: lines.length ? lines.join('\n') : 'The use case names no model.' });
  }
  return sections;
}
