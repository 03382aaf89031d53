/**
 * Every decision is audited, refused ones too: a vote on one's own request, an advance by
 * someone who may not, a kill switch pulled without the role, a model approved by a non-owner.
 * The refusal changes no record, so it is a standalone entry in the trail, naming the actor,
 * what was attempted, on what, and the refusal's code.
 *
 * Bounded: one entry per actor, attempt, target and code per minute, however often it is
 * repeated (each such tuple is its own stream, and appendAuditOnce writes a minute's mark once,
 * deciding racing writers by the unique (stream, version) insert). Mistakes (validation) and
 * unknown keys (not_found) are not decisions and are not audited.
 *
 * Hooked once where every channel's refusal becomes a card (./index.ts), so Slack, Teams and
 * the console are audited alike.
 */
import { appendAuditOnce } from '../../domain/audit/appendAuditOnce';
import type { DomainError } from '../../domain/errors';
import type { DomainContext } from '../../domain/ports';
import { isParseFailure, parseCommand } from '../grammar';
import { keysIn } from './safe';
import type { Interaction } from './types';

export const REFUSAL_AUDIT_ACTION = 'decision.refused';
const AUDITED_KINDS: ReadonlySet<string> = new Set(['forbidden', 'conflict']);

/** What was attempted (a command's name, a button's or a form's id) and on what (UC-n, APR-n, INC-n or a model). */
export function attemptOf(interaction: Interaction): { attempt: string; target: string } {
  const bounded = (s: string) => s.replace(/[^\w.:-]/g, '_').slice(0, 80);
  if (interaction.kind === 'command') {
    const parsed = parseCommand(interaction.text);
    const name = isParseFailure(parsed) ? 'unknown' : parsed.name;
    const model = !isParseFailure(parsed) && 'modelName' in parsed && typeof parsed.modelName === 'string' ? parsed.modelName.toLowerCase() : undefined;
    return { attempt: `command:${name}`, target: bounded(keysIn(interaction.text)[0] ?? model ?? '-') };
  }
  if (interaction.kind === 'action') return { attempt: `action:${bounded(interaction.actionId)}`, target: bounded(keysIn(interaction.value)[0] ?? '-') };
  return { attempt: `form:${bounded(interaction.formId)}`, target: bounded(keysIn(...Object.values(interaction.hidden))[0] ?? '-') };
}

/** Audits a refused decision (at most once a minute per actor, attempt, target and code). */
export async function auditRefusal(ctx: DomainContext, actorId: string, interaction: Interaction, err: DomainError): Promise<void> {
  if (!AUDITED_KINDS.has(err.kind)) return;
  const { attempt, target } = attemptOf(interaction);
  const minute = ctx.clock.now().toISOString().slice(0, 16);
  await appendAuditOnce(
    { repo: ctx.repos.audit, clock: ctx.clock },
    {
      actorId,
      action: REFUSAL_AUDIT_ACTION,
      subject: `refusal:${actorId}:${attempt}:${target}:${err.code}`,
      once: minute,
      data: { attempt, target, code: err.code, kind: err.kind },
    },
  );
}
