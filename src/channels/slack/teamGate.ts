/**
 * Which Slack workspaces (team ids, T…) and Enterprise Grid organisations (E…) Steward serves.
 * A valid signature proves a request came from Slack for this app, not from which organisation:
 * an app distributed to, or shared with, another workspace gets requests from it too, and its
 * users must never be looked up (users.info), linked to a person by email, or answered.
 *
 * A Bolt global middleware, so it runs before every listener (and so before any lookup or
 * write); the allowed set is a function so the channel decides where it comes from:
 * SLACK_ALLOWED_TEAMS, else the workspace of the bot token (auth.test), or, with OAuth
 * installs, the installations' teams.
 */
import type { AnyMiddlewareArgs, Middleware } from '@slack/bolt';
import type { Logger } from 'pino';

export const TEAM_NOT_ALLOWED_TEXT = 'This Slack workspace is not allowed to use this Steward. Ask your AI CoE to add it (SLACK_ALLOWED_TEAMS).';

/*
 * Read by hand rather than with a zod schema: this runs before every ack, and the schema (seven
 * optional fields, each with its own fallback) cost as much as the rest of the gate. Same rule:
 * a field that is not a non-empty string, or an object that is not an object, counts as absent.
 */
type Fields = Record<string, unknown>;
const id = (v: unknown): string | undefined => (typeof v === 'string' && v.length > 0 ? v : undefined);
const object = (v: unknown): Fields | undefined => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Fields) : undefined);

/** The team and enterprise ids a request names (the installation's, and the acting user's). */
export function teamsOfRequest(raw: unknown): { teams: string[]; enterprises: string[] } {
  const b = object(raw);
  if (!b) return { teams: [], enterprises: [] };
  const team = object(b.team);
  const authorizations = Array.isArray(b.authorizations) && b.authorizations.every((a) => object(a)) ? (b.authorizations as Fields[]) : undefined;
  const auth = authorizations?.[0];
  const teams = [id(b.team_id), id(team?.id), id(object(b.user)?.team_id), id(object(b.view)?.app_installed_team_id), id(auth?.team_id)];
  const enterprises = [id(b.enterprise_id), id(object(b.enterprise)?.id), id(team?.enterprise_id), id(auth?.enterprise_id)];
  const present = (xs: Array<string | undefined>) => [...new Set(xs.filter((x): x is string => Boolean(x)))];
  return { teams: present(teams), enterprises: present(enterprises) };
}

/**
 * Allowed when the organisation (enterprise id) is allowed, or when every team id the request
 * names is: a user of another workspace acting in a shared channel names their own team.
 * A request naming neither is refused.
 */
export function requestAllowed(allowed: ReadonlySet<string>, ids: { teams: string[]; enterprises: string[] }): boolean {
  if (ids.enterprises.some((e) => allowed.has(e))) return true;
  return ids.teams.length > 0 && ids.teams.every((t) => allowed.has(t));
}

export interface TeamGateOptions {
  /** The allowed ids; rejected (e.g. auth.test failed) means refuse this request, ask again next time. */
  allowed: () => Promise<ReadonlySet<string>>;
  logger: Logger;
}

export function slackTeamGate(opts: TeamGateOptions): Middleware<AnyMiddlewareArgs> {
  return async (args) => {
    let allowed: ReadonlySet<string> | undefined;
    try {
      allowed = await opts.allowed();
    } catch (err) {
      opts.logger.error({ err: err instanceof Error ? err.message : String(err) }, 'slack: the allowed workspaces are unknown (auth.test failed); request refused');
    }
    const ids = teamsOfRequest(args.body);
    if (allowed && requestAllowed(allowed, ids)) return args.next();

    // Team and enterprise ids name organisations, not people: no user id, name or text is logged.
    // Logged, not audited: a refused request writes nothing (another workspace cannot grow the database).
    opts.logger.warn({ teams: ids.teams, enterprises: ids.enterprises }, 'slack request refused: workspace not allowed (SLACK_ALLOWED_TEAMS)');
    // Commands, buttons and forms wait for an ack (events were acked by Bolt already).
    if ('ack' in args && typeof args.ack === 'function') {
      const ack = args.ack as (response?: unknown) => Promise<void>;
      await ack('command' in args ? { response_type: 'ephemeral', text: TEAM_NOT_ALLOWED_TEXT } : undefined).catch(() => undefined);
    }
  };
}

/**
 * The default allowed set: the workspace of the bot token (and its organisation when the token
 * is an org-wide install), from one auth.test kept for the process; a failure is retried.
 */
export function botTokenTeams(authTest: () => Promise<{ team_id?: string; enterprise_id?: string; is_enterprise_install?: boolean }>): () => Promise<ReadonlySet<string>> {
  let known: Promise<ReadonlySet<string>> | undefined;
  return () =>
    (known ??= authTest().then(
      (r) => {
        const ids = new Set<string>();
        if (r.team_id) ids.add(r.team_id);
        if (r.is_enterprise_install && r.enterprise_id) ids.add(r.enterprise_id);
        if (!ids.size) throw new Error('auth.test named no team');
        return ids;
      },
      (e: unknown) => {
        known = undefined;
        throw e;
      },
    )).catch((e: unknown) => {
      known = undefined;
      throw e;
    });
}
