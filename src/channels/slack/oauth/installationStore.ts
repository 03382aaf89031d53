/**
 * Bolt's InstallationStore over MongoDB (src/store/slackInstallations.repo.ts): what Slack's
 * OAuth flow returns (oauth.v2.access) is sealed with the token cipher and appended as the
 * workspace's (or, for an Enterprise Grid org-wide install, the organisation's) next version;
 * Bolt's authorize reads it back for every request, so each workspace is answered with its own
 * token.
 *
 * With SLACK_ALLOWED_TEAMS set, an install from a workspace or organisation outside the list is
 * refused before anything is stored (Bolt then shows its failure page): an app that can be
 * installed anywhere still serves only the organisations listed. Without a list, an installed
 * workspace is an allowed one (see allowedTeams).
 */
import type { Installation, InstallationQuery, InstallationStore } from '@slack/bolt';
import type { Logger } from 'pino';
import type { MongoSlackInstallationRepository } from '../../../store/slackInstallations.repo';
import { revokeInstallation, SlackInstallationGoneError, type RevocationInput, type RevocationOutcome } from './revocation';
import type { TokenCipher } from './tokenCipher';

export type AnyInstallation = Installation<'v1' | 'v2', boolean>;

/** The stream an installation or a request belongs to. */
export function installationKey(q: { teamId?: string; enterpriseId?: string; isEnterpriseInstall?: boolean }): string {
  if (q.isEnterpriseInstall && q.enterpriseId) return `enterprise:${q.enterpriseId}`;
  if (q.teamId) return `team:${q.teamId}`;
  throw new Error('a Slack installation names neither a workspace nor an org-wide install');
}

function keyOf(installation: AnyInstallation): string {
  return installationKey({ teamId: installation.team?.id, enterpriseId: installation.enterprise?.id, isEnterpriseInstall: Boolean(installation.isEnterpriseInstall) });
}

export class InstallNotAllowedError extends Error {
  constructor(readonly ids: string[]) {
    super(`Slack install refused: ${ids.join(', ') || 'no workspace'} is not in SLACK_ALLOWED_TEAMS`);
    this.name = 'InstallNotAllowedError';
  }
}

export interface MongoInstallationStoreOptions {
  repo: MongoSlackInstallationRepository;
  cipher: TokenCipher;
  /** SLACK_ALLOWED_TEAMS, when set. */
  allowedTeams?: ReadonlySet<string>;
  logger: Logger;
  /** Called after an install or removal is stored (the allowed-teams cache forgets). */
  onChange?: () => void;
}

export class MongoInstallationStore implements InstallationStore {
  constructor(private readonly opts: MongoInstallationStoreOptions) {}

  async storeInstallation(installation: AnyInstallation): Promise<void> {
    const key = keyOf(installation);
    const teamId = installation.team?.id;
    const enterpriseId = installation.enterprise?.id;
    const allowed = this.opts.allowedTeams;
    if (allowed && !(enterpriseId && allowed.has(enterpriseId)) && !(teamId && allowed.has(teamId))) {
      // Organisation ids only: no user, token or name is logged.
      this.opts.logger.warn({ teamId, enterpriseId }, 'slack install refused: not in SLACK_ALLOWED_TEAMS');
      throw new InstallNotAllowedError([teamId, enterpriseId].filter((x): x is string => Boolean(x)));
    }
    const stored = await this.opts.repo.append({
      key,
      ...(teamId ? { teamId } : {}),
      ...(enterpriseId ? { enterpriseId } : {}),
      sealed: this.opts.cipher.seal(JSON.stringify(installation), key),
      removed: false,
      at: new Date(),
    });
    this.opts.logger.info({ key, version: stored.version, enterpriseInstall: Boolean(installation.isEnterpriseInstall) }, 'slack installation stored');
    this.opts.onChange?.();
  }

  async fetchInstallation(query: InstallationQuery<boolean>): Promise<AnyInstallation> {
    // An org-wide install answers for every workspace of the organisation.
    const keys = [installationKey(query)];
    if (!query.isEnterpriseInstall && query.enterpriseId) keys.push(`enterprise:${query.enterpriseId}`);
    let gone: SlackInstallationGoneError | undefined;
    for (const key of keys) {
      const latest = await this.opts.repo.latest(key);
      if (latest && !latest.removed && latest.sealed) return JSON.parse(this.opts.cipher.open(latest.sealed, key)) as AnyInstallation;
      // Uninstalled or revoked: said so, so a send to it is not retried (./revocation.ts).
      if (latest?.removed && latest.reason) gone ??= new SlackInstallationGoneError(key, latest.reason, latest.at);
    }
    throw gone ?? new Error(`no Slack installation for ${keys.join(' or ')}`);
  }

  async deleteInstallation(query: InstallationQuery<boolean>): Promise<void> {
    const key = installationKey(query);
    const latest = await this.opts.repo.latest(key);
    if (!latest || latest.removed) return;
    await this.opts.repo.append({ key, ...(latest.teamId ? { teamId: latest.teamId } : {}), ...(latest.enterpriseId ? { enterpriseId: latest.enterpriseId } : {}), removed: true, at: new Date() });
    this.opts.logger.info({ key }, 'slack installation removed');
    this.opts.onChange?.();
  }

  /** app_uninstalled / tokens_revoked: the installation (or its user token) stops being used. */
  async revoke(input: RevocationInput): Promise<RevocationOutcome> {
    const outcome = await revokeInstallation({ repo: this.opts.repo, cipher: this.opts.cipher }, input);
    if (outcome.kind === 'removed' || outcome.kind === 'user_token_removed') {
      // Ids only: never a token.
      this.opts.logger.warn({ key: input.key, cause: input.cause, version: outcome.version }, `slack installation ${outcome.kind === 'removed' ? 'removed' : 'user token dropped'}`);
      this.opts.onChange?.();
    }
    return outcome;
  }

  /** The ids of every workspace and organisation installed now (the team gate's default list). */
  async installedTeams(): Promise<Set<string>> {
    const ids = new Set<string>();
    for (const i of await this.opts.repo.installed()) {
      if (i.key.startsWith('enterprise:') && i.enterpriseId) ids.add(i.enterpriseId);
      else if (i.teamId) ids.add(i.teamId);
    }
    return ids;
  }
}

/**
 * The team gate's allowed set with OAuth installs: SLACK_ALLOWED_TEAMS when set, else the
 * installed workspaces, read at most every `ttlMs` (and at once after a local install).
 */
export function installedTeamsCache(store: MongoInstallationStore, ttlMs = 5000): { allowed: () => Promise<ReadonlySet<string>>; forget: () => void } {
  let cached: { at: number; ids: Promise<ReadonlySet<string>> } | undefined;
  return {
    allowed: () => {
      if (!cached || Date.now() - cached.at > ttlMs) {
        const ids = store.installedTeams();
        cached = { at: Date.now(), ids };
        ids.catch(() => {
          cached = undefined;
        });
      }
      return cached.ids;
    },
    forget: () => {
      cached = undefined;
    },
  };
}
