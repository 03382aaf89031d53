/**
 * A workspace that uninstalls Steward (app_uninstalled) or revokes its tokens (tokens_revoked)
 * must stop being used at once: its installation gets a `removed` version, so Bolt's authorize,
 * the routed client and the team gate (installed workspaces) no longer find it. A revoked user
 * token only is dropped from the installation (a new sealed version without it), and the bot
 * keeps working.
 *
 * Exactly once per state, not per delivery: the new version is inserted at exactly
 * `latest.version + 1` (unique _id), so of a Slack retry and the original, or two processes, one
 * writes and the others find the installation already removed and write nothing.
 */
import { undeliverable } from '../../../notifications/undeliverable';
import type { MongoSlackInstallationRepository } from '../../../store/slackInstallations.repo';
import type { AnyInstallation } from './installationStore';
import type { TokenCipher } from './tokenCipher';

export type RevocationCause = 'app_uninstalled' | 'tokens_revoked';

export interface RevocationInput {
  /** The installation's stream (`team:T…` or `enterprise:E…`). */
  key: string;
  teamId?: string;
  enterpriseId?: string;
  cause: RevocationCause;
  /** Slack's event_id: stored on the version it caused, so a retry is recognised. */
  eventId: string;
  /** tokens_revoked: the user ids whose bot and user (oauth) tokens were revoked. */
  tokens?: { bot?: string[]; oauth?: string[] };
  at: Date;
}

export type RevocationOutcome =
  /** The installation is hidden from now on (version `version`). */
  | { kind: 'removed'; version: number }
  /** Only the installing user's token was revoked: it is gone, the bot's stays. */
  | { kind: 'user_token_removed'; version: number }
  /** Removed before (by this event when `eventId` is the same: a retry). */
  | { kind: 'already_removed'; version: number; eventId?: string }
  /** Nothing stored for this workspace. */
  | { kind: 'not_installed' }
  /** tokens_revoked naming no token this installation holds. */
  | { kind: 'unaffected'; version: number };

/** Thrown when a send targets a workspace whose installation was removed: no retry helps, so the outbox dead-letters it. */
export class SlackInstallationGoneError extends Error {
  constructor(
    readonly key: string,
    readonly reason: string,
    readonly at: Date,
  ) {
    super(undeliverable(`the Slack installation ${key} was removed (${reason}, ${at.toISOString()}): Steward can no longer post there`));
    this.name = 'SlackInstallationGoneError';
  }
}

export async function revokeInstallation(deps: { repo: MongoSlackInstallationRepository; cipher: TokenCipher }, input: RevocationInput, attempts = 5): Promise<RevocationOutcome> {
  for (let i = 0; i < attempts; i++) {
    const latest = await deps.repo.latest(input.key);
    if (!latest) return { kind: 'not_installed' };
    if (latest.removed) return { kind: 'already_removed', version: latest.version, ...(latest.eventId ? { eventId: latest.eventId } : {}) };
    const installation = latest.sealed ? (JSON.parse(deps.cipher.open(latest.sealed, input.key)) as AnyInstallation) : undefined;
    const change = decide(input, installation);
    if (change === 'none') return { kind: 'unaffected', version: latest.version };
    const ids = { ...(latest.teamId ? { teamId: latest.teamId } : {}), ...(latest.enterpriseId ? { enterpriseId: latest.enterpriseId } : {}) };
    const next =
      change === 'remove'
        ? { key: input.key, ...ids, removed: true, reason: input.cause, eventId: input.eventId, at: input.at }
        : { key: input.key, ...ids, removed: false, reason: 'user_token_revoked', eventId: input.eventId, at: input.at, sealed: deps.cipher.seal(JSON.stringify(withoutUserToken(installation!)), input.key) };
    if (await deps.repo.appendAt(next, latest.version + 1)) {
      return change === 'remove' ? { kind: 'removed', version: latest.version + 1 } : { kind: 'user_token_removed', version: latest.version + 1 };
    }
    // Another writer stored a version meanwhile: decide again on it.
  }
  throw new Error(`slack installation ${input.key}: ${attempts} concurrent writers in a row; Slack will retry the event`);
}

/**
 * app_uninstalled removes. tokens_revoked removes when the bot's token is among the revoked
 * ones (without it Steward can neither answer nor post), and drops the user token when only the
 * installing user's was revoked; tokens this installation does not hold change nothing.
 */
function decide(input: RevocationInput, installation: AnyInstallation | undefined): 'remove' | 'drop_user_token' | 'none' {
  if (input.cause === 'app_uninstalled') return 'remove';
  const bots = input.tokens?.bot ?? [];
  const botUser = installation?.bot?.userId;
  // An installation that does not say its bot user is taken to be the one revoked.
  if (bots.length && (!botUser || bots.includes(botUser))) return 'remove';
  const user = installation?.user;
  if (user?.token && user.id && (input.tokens?.oauth ?? []).includes(user.id)) return 'drop_user_token';
  return 'none';
}

function withoutUserToken(installation: AnyInstallation): AnyInstallation {
  const { token: _t, refreshToken: _r, expiresAt: _e, scopes: _s, ...user } = installation.user as AnyInstallation['user'] & { refreshToken?: string; expiresAt?: number };
  return { ...installation, user } as AnyInstallation;
}
