/**
 * app_uninstalled and tokens_revoked: a workspace that removes Steward, or revokes its tokens,
 * is no longer used. With OAuth installs its installation gets a `removed` version (or loses the
 * revoked user token) through the installation store (../../oauth/revocation.ts); Bolt's
 * authorize, the routed client and the team gate stop finding it, and messages queued for it are
 * dead-lettered by the outbox with the reason instead of retried. With one bot token there is
 * nothing to remove (the token is configuration): the operator is told in the log.
 *
 * Both are audited once, naming the workspace or organisation (never a token). A Slack retry
 * (X-Slack-Retry-Num) finds the installation already removed by the same event and writes
 * nothing. Requests from workspaces outside the allowed list never get here (the team gate runs
 * first).
 */
import type { AllMiddlewareArgs, App, SlackEventMiddlewareArgs } from '@slack/bolt';
import type { Logger } from 'pino';
import { z } from 'zod';
import { appendAuditOnce } from '../../../../domain/audit/appendAuditOnce';
import { SYSTEM_ACTOR } from '../../../../domain/people/actor';
import type { DomainContext } from '../../../../domain/ports';
import { installationKey, type MongoInstallationStore } from '../../oauth/installationStore';
import type { RevocationCause, RevocationOutcome } from '../../oauth/revocation';

export const SLACK_LIFECYCLE_EVENTS = ['app_uninstalled', 'tokens_revoked'] as const;

export interface AppLifecycleDeps {
  ctx: DomainContext;
  logger: Logger;
  /** The OAuth installation store; absent in single-token mode. */
  store?: MongoInstallationStore;
}

const ids = z.array(z.string().min(1).max(64)).max(1000).optional();
const envelope = z.object({
  event_id: z.string().min(1).max(128),
  team_id: z.string().min(1).max(64).optional(),
  enterprise_id: z.string().min(1).max(64).optional().nullable(),
  event: z.object({ type: z.enum(SLACK_LIFECYCLE_EVENTS), tokens: z.object({ bot: ids, oauth: ids }).optional() }),
});

/** The audit stream's subject of an installation: its key, never a token or a user. */
export const installationSubject = (key: string): string => `slack-installation:${key}`;

type Args = SlackEventMiddlewareArgs<'app_uninstalled' | 'tokens_revoked'> & AllMiddlewareArgs;

export function appLifecycle(deps: AppLifecycleDeps) {
  return async ({ body, context }: Args): Promise<void> => {
    const parsed = envelope.safeParse(body);
    if (!parsed.success) {
      deps.logger.warn({ problem: parsed.error.issues[0]?.message }, 'slack lifecycle event ignored: malformed');
      return;
    }
    const b = parsed.data;
    const cause: RevocationCause = b.event.type;
    const teamId = context.teamId ?? b.team_id;
    const enterpriseId = context.enterpriseId ?? b.enterprise_id ?? undefined;
    const where = { ...(teamId ? { teamId } : {}), ...(enterpriseId ? { enterpriseId } : {}) };
    try {
      if (!deps.store) return await singleToken(deps, cause, b.event_id, where);
      const key = installationKey({ teamId, enterpriseId, isEnterpriseInstall: Boolean(context.isEnterpriseInstall) });
      const outcome = await deps.store.revoke({ key, ...where, cause, eventId: b.event_id, ...(b.event.tokens ? { tokens: b.event.tokens } : {}), at: deps.ctx.clock.now() });
      await auditOnce(deps.ctx, { key, cause, eventId: b.event_id, where, outcome });
    } catch (err) {
      deps.logger.error({ err, cause, ...where }, 'slack lifecycle event not recorded');
    }
  };
}

/**
 * The removal's audit entry, once per installation version: whoever stored the removal writes
 * it, and a retry of the same event (the first process stopped in between) writes it only if it
 * is missing; racing writers end with one entry (appendAuditOnce).
 */
async function auditOnce(
  ctx: DomainContext,
  o: { key: string; cause: RevocationCause; eventId: string; where: { teamId?: string; enterpriseId?: string }; outcome: RevocationOutcome },
): Promise<void> {
  const { outcome } = o;
  const written = outcome.kind === 'removed' || outcome.kind === 'user_token_removed';
  const version = written || (outcome.kind === 'already_removed' && outcome.eventId === o.eventId) ? outcome.version : undefined;
  if (version === undefined) return;
  const action = outcome.kind === 'user_token_removed' ? 'slack.user_token_revoked' : 'slack.installation_removed';
  await appendAuditOnce(
    { repo: ctx.repos.audit, clock: ctx.clock },
    { actorId: SYSTEM_ACTOR, action, subject: installationSubject(o.key), once: `${o.key}#${version}`, data: { cause: o.cause, eventId: o.eventId, installation: o.key, ...o.where, installationVersion: version } },
  );
}

/** One bot token: nothing stored to remove; audited once per event (claimed by its id) and said loudly. */
async function singleToken(deps: AppLifecycleDeps, cause: RevocationCause, eventId: string, where: { teamId?: string; enterpriseId?: string }): Promise<void> {
  deps.logger.error({ cause, ...where }, 'slack: Steward was uninstalled or its bot token revoked; SLACK_BOT_TOKEN no longer works (reinstall the app and set the new token)');
  if (!(await deps.ctx.repos.claims.claim(`slack:lifecycle:${eventId}`, { channel: 'slack' }))) return;
  await deps.ctx.audit({ actorId: SYSTEM_ACTOR, action: `slack.${cause}`, subject: installationSubject(where.enterpriseId && !where.teamId ? `enterprise:${where.enterpriseId}` : `team:${where.teamId ?? 'unknown'}`), data: { cause, eventId, ...where } });
}

export function registerAppLifecycle(app: App, deps: AppLifecycleDeps): void {
  for (const name of SLACK_LIFECYCLE_EVENTS) app.event(name, appLifecycle(deps));
}
