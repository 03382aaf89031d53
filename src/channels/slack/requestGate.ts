/**
 * In front of Bolt's receiver on POST /slack/events. For a body whose Slack signature holds:
 *   - malformed (not JSON, `null`, an event without an event, a view_submission without a view)
 *     -> HTTP 400 with the project's error shape, instead of a 500 from inside Bolt;
 *   - well formed but for no listener (a button from an older message, an unknown modal, a
 *     shortcut, another slash command) -> acknowledged at once, and the person told plainly,
 *     instead of Slack's "didn't respond" after 3 s and an error in the log.
 * Everything else goes on to Bolt. With `dispatch` (the receiver's requestHandler), a body whose
 * signature held here is handed to it already parsed: checking the signature and parsing the body
 * a second time, in Bolt's own router, was about 6 % of Steward's CPU per ack (a CPU profile of
 * bench/slack.bench.ts). Without it, or for url_verification / ssl_check, the request goes through
 * Bolt's router with the raw body as `req.rawBody` (read instead of the stream). A body whose
 * signature does not hold always goes through Bolt's router, so Bolt refuses it with 401 exactly
 * as before: nothing here speaks to an unsigned caller.
 */
import { isValidSlackRequest, type webApi } from '@slack/bolt';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { Logger } from 'pino';
import type { z } from 'zod';
import { FORM_IDS } from '../../conversation/actions';
import { baseActionId } from '../../conversation/render/slackLimits';
import { ValidationError } from '../../domain/errors';
import { BUTTON_ACTION_IDS } from './listeners/actions';
import { STEWARD_COMMAND } from './listeners/commands/steward';
import { noticeBlocks } from './render';
import { responder } from './responseUrl';
import {
  blockActions,
  boltKind,
  eventEnvelope,
  firstProblem,
  optionsPayload,
  shortcutPayload,
  slashCommand,
  urlVerification,
  viewPayload,
} from './requestShape';

type WebClient = webApi.WebClient;

/** Bolt's own default; a larger body is refused by it, so the gate reads no more. */
const BODY_LIMIT = 10 * 1024 * 1024;

export const OLD_BUTTON_TEXT =
  'That button is from an older version of Steward and no longer does anything. Type `/steward help` to see what you can do now, or open the item again to get fresh buttons.';
export const OLD_FORM_TEXT = 'That form is from an older version of Steward and was not saved. Type `/steward help` to start again.';
export const NO_SHORTCUTS_TEXT = 'Steward has no shortcuts. Type `/steward help` to see its commands.';
export const otherCommandText = (command: string) => `Steward answers only ${STEWARD_COMMAND}; it does not handle ${command}. Type \`${STEWARD_COMMAND} help\` to see its commands.`;

export interface SlackGateOptions {
  signingSecret: string;
  logger: Logger;
  /** The bot's Web API client (for telling someone in a DM when there is no response_url). */
  client: () => WebClient;
  /**
   * Hands a request whose signature held here, with `req.body` parsed, straight to Bolt's receiver
   * (ExpressReceiver.requestHandler), skipping its second signature check and parse.
   */
  dispatch?: (req: Request, res: Response) => Promise<void>;
}

interface Parsed {
  body: Record<string, unknown>;
}

function readRaw(req: Request): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > BODY_LIMIT) {
        req.destroy();
        reject(Object.assign(new Error('The request body is too large'), { status: 413, expose: true }));
      } else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** Parses like Bolt: JSON, or a form whose `payload` field is JSON. Throws a ValidationError. */
function parseBody(raw: string, contentType: string): Parsed {
  const malformed = (why: string) => new ValidationError('slack.malformed_request', `The Slack request is malformed: ${why}.`);
  let value: unknown;
  if (contentType.includes('application/x-www-form-urlencoded')) {
    const form = new URLSearchParams(raw);
    const payload = form.get('payload');
    if (payload === null) return { body: Object.fromEntries(form) };
    try {
      value = JSON.parse(payload);
    } catch {
      throw malformed('payload is not JSON');
    }
  } else {
    try {
      value = JSON.parse(raw);
    } catch {
      throw malformed('the body is not JSON');
    }
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw malformed('expected an object');
  return { body: value as Record<string, unknown> };
}

function check<T>(schema: z.ZodType<T>, body: unknown): T {
  const r = schema.safeParse(body);
  if (!r.success) throw new ValidationError('slack.malformed_request', `The Slack request is malformed: ${firstProblem(r.error)}.`);
  return r.data;
}

const noticeModal = (text: string) => ({
  type: 'modal' as const,
  title: { type: 'plain_text' as const, text: 'Steward' },
  close: { type: 'plain_text' as const, text: 'Close' },
  blocks: noticeBlocks(text).blocks,
});

export function slackRequestGate(opts: SlackGateOptions, bolt: RequestHandler): RequestHandler {
  const { logger } = opts;
  const buttons = new Set<string>(BUTTON_ACTION_IDS);
  const forms = new Set<string>(FORM_IDS);

  /** Tells the person after the ack; a failure is logged, never thrown (the ack is sent). */
  function tell(where: { responseUrl?: string; userId: string }, text: string): void {
    const message = { response_type: 'ephemeral', replace_original: false, ...noticeBlocks(text) };
    const sent = where.responseUrl
      ? responder(where.responseUrl)(message)
      : opts.client().chat.postMessage({ channel: where.userId, ...noticeBlocks(text) });
    Promise.resolve(sent).catch((err: unknown) => logger.warn({ err }, 'slack: could not tell the person their request has no handler'));
  }

  /** Answers the request itself when no listener takes it; false means: let Bolt have it. */
  function answerUnhandled(body: Record<string, unknown>, res: Response, retry: boolean): boolean {
    const kind = boltKind(body);
    const unhandled = (what: string, detail: Record<string, unknown>) => logger.info({ what, ...detail }, 'slack request for no listener: acknowledged');
    switch (kind) {
      case 'url_verification':
        check(urlVerification, body);
        return false;
      case 'ssl_check':
        return false;
      case 'rate_limited':
        unhandled('app_rate_limited', {});
        res.status(200).end();
        return true;
      case 'event':
        check(eventEnvelope, body);
        return false; // Bolt acknowledges every event itself
      case 'command': {
        const cmd = check(slashCommand, body);
        if (cmd.command === STEWARD_COMMAND) return false;
        unhandled('command', { command: cmd.command });
        // A slash command may be answered in the HTTP response itself: nothing to post later.
        res.status(200).json({ response_type: 'ephemeral', ...noticeBlocks(otherCommandText(cmd.command)) });
        return true;
      }
      case 'options':
        check(optionsPayload, body);
        unhandled('options', {});
        res.status(200).json({ options: [] });
        return true;
      case 'action': {
        const a = check(blockActions, body);
        const actionId = a.actions[0]!.action_id;
        if (a.type === 'block_actions' && buttons.has(baseActionId(actionId))) return false;
        unhandled('action', { type: a.type, actionId });
        res.status(200).end();
        if (!retry) tell({ userId: a.user.id, ...(a.response_url ? { responseUrl: a.response_url } : {}) }, OLD_BUTTON_TEXT);
        return true;
      }
      case 'view': {
        const v = check(viewPayload, body);
        if (v.type === 'view_submission' && forms.has(v.view.callback_id)) return false;
        unhandled('view', { type: v.type, callbackId: v.view.callback_id });
        // A closed modal needs nothing; an unknown submission is answered in the modal itself.
        if (v.type === 'view_closed') res.status(200).end();
        else res.status(200).json({ response_action: 'update', view: noticeModal(OLD_FORM_TEXT) });
        return true;
      }
      case 'shortcut': {
        const s = check(shortcutPayload, body);
        unhandled('shortcut', { type: s.type, callbackId: s.callback_id });
        res.status(200).end();
        if (!retry) tell({ userId: s.user.id, ...(s.response_url ? { responseUrl: s.response_url } : {}) }, NO_SHORTCUTS_TEXT);
        return true;
      }
      default:
        throw new ValidationError('slack.malformed_request', 'The Slack request is malformed: not an event, command or interaction Slack sends.');
    }
  }

  return async (req: Request, res: Response, next: NextFunction) => {
    if (req.method !== 'POST' || req.path !== '/slack/events') return bolt(req, res, next);
    let dispatched: Promise<void>;
    try {
      const raw = await readRaw(req);
      (req as Request & { rawBody?: Buffer }).rawBody = raw;
      const text = raw.toString();
      // The same check as Bolt's (v0 HMAC-SHA256 over the raw body, refused when older than 5 minutes).
      const signed = isValidSlackRequest({
        signingSecret: opts.signingSecret,
        body: text,
        headers: {
          'x-slack-signature': String(req.headers['x-slack-signature'] ?? ''),
          'x-slack-request-timestamp': Number(req.headers['x-slack-request-timestamp'] ?? 0),
        },
      });
      if (!signed) return bolt(req, res, next);
      const { body } = parseBody(text, String(req.headers['content-type'] ?? ''));
      if (answerUnhandled(body, res, req.headers['x-slack-retry-num'] !== undefined)) return;
      if (!opts.dispatch || body.type === 'url_verification' || body.ssl_check !== undefined) return bolt(req, res, next);
      req.body = body;
      dispatched = opts.dispatch(req, res);
    } catch (err) {
      return next(err);
    }
    // Outside the try: the request's work continues after the ack, and its failure is Bolt's to log.
    return dispatched;
  };
}
