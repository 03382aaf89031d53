/**
 * What POST /api/messages checks before botbuilder runs a turn, answering refusals in the
 * project's error shape (`{ error: { code, message } }`, src/http/errors.ts):
 *   1. the body is an activity (an object with a type)                      -> else 400
 *   2. the Bot Framework token is valid (botbuilder's own check, run quietly) -> else 401
 *      (503 when the signing keys could not be fetched: our outage, not their fault)
 *   3. the activity's tenant is allowed (./tenants.ts)                      -> else 403
 * Left to CloudAdapter.process, a token signed HS256 with the app password or by a foreign key
 * reusing a published key id became a 500 with the library's message, and the library printed
 * the signing keys; here it is one log line with the reason and no key material.
 */
import type { RequestHandler, Response } from 'express';
import type { Logger } from 'pino';
import { z } from 'zod';
import type { ErrorBody } from '../../http/errors';
import { quietly } from './quietConsole';
import { tenantAllowed, tenantOf } from './tenants';

/** The part of botbuilder's BotFrameworkAuthentication the gate uses. */
export interface ActivityAuthenticator {
  authenticateRequest(activity: never, authHeader: string): Promise<unknown>;
}

export interface RequestGateOptions {
  auth: ActivityAuthenticator;
  /** Absent: any tenant (development only; config.ts requires a list in production). */
  allowedTenants?: readonly string[];
  logger: Logger;
}

const activityShape = z.object({ type: z.string().min(1) }).passthrough();

function refuse(res: Response, status: number, code: string, message: string): void {
  const body: ErrorBody = { error: { code, message } };
  res.status(status).json(body);
}

/** jsonwebtoken's errors and botframework-connector's AuthenticationError (which carries a statusCode). */
const TOKEN_ERRORS = ['JsonWebTokenError', 'TokenExpiredError', 'NotBeforeError'];

/** A short reason for the log, never the library's message text (it may quote keys or tokens). */
function classify(err: unknown): { status: 401 | 503; reason: string } {
  const e = (typeof err === 'object' && err !== null ? err : {}) as { name?: string; message?: string; statusCode?: number };
  if (e.name && TOKEN_ERRORS.includes(e.name)) {
    // jsonwebtoken's messages are fixed phrases ("invalid signature", "invalid algorithm", "jwt expired").
    const phrase = /^[a-z ]{3,40}$/i.test(e.message ?? '') ? e.message! : e.name;
    return { status: 401, reason: phrase };
  }
  if (typeof e.statusCode === 'number') {
    if (e.statusCode >= 500) return { status: 503, reason: 'signing keys unavailable' };
    return { status: 401, reason: (e.message ?? '').split(':')[0]!.slice(0, 80) || 'unauthorized' };
  }
  return { status: 503, reason: e.name ?? 'unknown error' };
}

export function teamsRequestGate(opts: RequestGateOptions): RequestHandler {
  return async (req, res, next) => {
    const shape = activityShape.safeParse(req.body);
    if (!shape.success) {
      return refuse(res, 400, 'teams.invalid_activity', 'The request body is not a Bot Framework activity (expected a JSON object with a type).');
    }
    const activityType = shape.data.type.slice(0, 40);
    // Auth runs on a copy: botbuilder may set fields on the activity it checks, and the turn gets the original.
    const checked = await quietly(() => opts.auth.authenticateRequest(structuredClone(req.body) as never, req.get('authorization') ?? ''));
    if ('error' in checked) {
      const { status, reason } = classify(checked.error);
      opts.logger.warn({ status, reason, activityType, libraryLinesDropped: checked.dropped }, status === 401 ? 'teams request refused: no valid Bot Framework token' : 'teams token could not be checked');
      return status === 401
        ? refuse(res, 401, 'teams.unauthorized', 'The request does not carry a valid Bot Framework token.')
        : refuse(res, 503, 'teams.auth_unavailable', 'The Bot Framework signing keys could not be fetched; try again shortly.');
    }
    const tenant = tenantOf(req.body);
    if (!tenantAllowed(opts.allowedTenants, tenant)) {
      // The tenant id names an organisation, not a person; no user id, name or text is logged.
      // Logged, not written to the audit trail: a refused request writes nothing, so a foreign
      // tenant cannot grow the database by writing to the bot.
      opts.logger.warn({ tenant: tenant ?? 'none', activityType }, 'teams activity refused: tenant not allowed (TEAMS_ALLOWED_TENANTS)');
      return refuse(res, 403, 'teams.tenant_not_allowed', 'This Microsoft 365 organisation is not allowed to use this Steward.');
    }
    next();
  };
}
