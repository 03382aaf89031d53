/**
 * The console's express Router (mounted at /console): pages, static assets and the JSON API.
 * API handlers are thin: zod body -> the chosen person (checked against the signed-in viewer,
 * see access.ts) -> one Conversation.handle -> the reply cards rendered with cardToHtml.
 */
import express, { type ErrorRequestHandler, Router, type Request, type RequestHandler, type Response } from 'express';
import type { Logger } from 'pino';
import type { z } from 'zod';
import type { Card } from '../../conversation/cards/model';
import { createConversation, type Conversation, type Interaction, type Reply } from '../../conversation/handlers';
import { cardToHtml } from '../../conversation/render/html';
import type { DeliveryRepository, DomainContext } from '../../domain/ports';
import { CONSOLE_CSS } from './assets/styles';
import { CONSOLE_JS } from './assets/client';
import { actRefusal, isRefusal, pickable, READ_ONLY, type Refusal, type Viewer, viewerFor, viewRefusal } from './access';
import { type ConsoleAuthConfig, consoleAuth } from './auth';
import { dashboardPage } from './dashboard';
import { CONSOLE_PATH, FAVICON_SVG, securityHeaders } from './layout';
import { liveApprovalCards } from './liveApprovalCards';
import { createNotificationsFeed, type NotificationsFeed } from './notificationsFeed';
import { chatPage, loginPage, messagePage, pickerPage } from './pages';
import { actionBody, commandBody, firstIssue, formBody, notificationsQuery } from './schemas';
import { DATABASE_UNAVAILABLE_MESSAGE } from '../../http/errors';
import { isDatabaseUnavailable } from '../../http/databaseErrors';
import { OutageLatch } from '../../http/outageLatch';

export interface ConsoleDeps {
  ctx: DomainContext;
  config: ConsoleAuthConfig;
  logger: Logger;
  /** The outbox: a person's inbox (notifications feed) and the undelivered (dashboard). */
  deliveries: Pick<DeliveryRepository, 'listForPerson' | 'list' | 'inboxSince'>;
  /** Defaults to createConversation on ctx. */
  conversation?: Conversation;
  /** Notification polling interval (ms); tests shorten it. */
  pollMs?: number;
  /**
   * Whether the database answers now (a short ping). With it, once an outage is seen the console
   * answers 503 at once until the database is back, instead of after the driver's 5 s wait each time.
   */
  databaseProbe?: () => Promise<boolean>;
}

/** What the API answers: the reply's cards as HTML fragments. */
export interface RenderedReply {
  cards: string[];
  form?: string;
  updated?: string;
  formErrors?: Record<string, string>;
  /** A domain refusal's stable code (the cards say it in words). */
  refusal?: { code: string };
}

export const renderReply = (r: Reply): RenderedReply => ({
  cards: r.cards.map((c: Card) => cardToHtml(c)),
  ...(r.form ? { form: cardToHtml(r.form) } : {}),
  ...(r.updated ? { updated: cardToHtml(r.updated) } : {}),
  ...(r.formErrors ? { formErrors: r.formErrors } : {}),
  ...(r.refusal ? { refusal: r.refusal } : {}),
});

const apiError = (res: Response, status: number, code: string, message: string) => res.status(status).json({ error: { code, message } });
const apiRefuse = (res: Response, r: Refusal) => apiError(res, r.status, r.code, r.message);
const pageRefuse = (res: Response, r: Refusal) => res.status(r.status).type('html').send(messagePage('Not allowed', r.message));
/** Set by the gate below for every request past it. */
const viewerOf = (res: Response): Viewer => res.locals.viewer as Viewer;

export function createConsoleRouter(deps: ConsoleDeps): { router: Router; feed: NotificationsFeed; close(): void } {
  const { ctx, logger } = deps;
  const auth = consoleAuth(deps.config);
  const conversation =
    deps.conversation ?? createConversation({ ctx, onUnexpectedError: (err) => logger.error({ err }, 'console: unexpected error') });
  // Approval cards in the inbox are drawn for their reader as the approval stands now.
  const feed = createNotificationsFeed({ deliveries: liveApprovalCards(ctx, deps.deliveries), logger, ...(deps.pollMs ? { pollMs: deps.pollMs } : {}) });
  const router = Router();

  router.use((_req, res, next) => {
    securityHeaders(res);
    next();
  });

  // Assets and the login page are public: they hold nothing but the console's own code.
  router.get('/assets/console.css', (_req, res) => void res.type('text/css').send(CONSOLE_CSS));
  router.get('/assets/console.js', (_req, res) => void res.type('text/javascript').send(CONSOLE_JS));
  router.get('/assets/favicon.svg', (_req, res) => void res.type('image/svg+xml').send(FAVICON_SVG));
  router.get('/login', (_req, res) => void res.type('html').send(loginPage()));
  router.post('/login', express.urlencoded({ extended: false, limit: '4kb' }), (req, res) => {
    const token = typeof req.body?.token === 'string' ? req.body.token : '';
    if (auth.login(token, req, res)) return void res.redirect(303, CONSOLE_PATH);
    res.status(401).type('html').send(loginPage({ failed: true }));
  });
  router.post('/logout', (_req, res) => {
    auth.logout(res);
    res.redirect(303, `${CONSOLE_PATH}/login`);
  });

  // During a known outage, signed-in pages and the API answer at once (../../http/outageLatch.ts).
  const latch = deps.databaseProbe ? new OutageLatch(deps.databaseProbe) : undefined;
  const unavailable = (req: Request, res: Response) => {
    res.setHeader('Retry-After', '30');
    if (req.path.startsWith('/api/')) return void apiError(res, 503, 'database.unavailable', DATABASE_UNAVAILABLE_MESSAGE);
    res.status(503).type('html').send(messagePage('Database unavailable', DATABASE_UNAVAILABLE_MESSAGE));
  };
  router.use((req, res, next) => (latch?.isDown() ? unavailable(req, res) : next()));

  // The gate: no session, no console; a personal token must name a registered person.
  router.use(async (req, res, next) => {
    const api = req.path.startsWith('/api/');
    const session = auth.identify(req);
    if (!session) {
      if (api) return void apiError(res, 401, 'console.unauthorized', 'Sign in first: send your console token (Authorization: Bearer <token>).');
      return void res.status(401).type('html').send(loginPage());
    }
    const viewer = await viewerFor(session, (email) => ctx.repos.people.findByEmail(email));
    if (isRefusal(viewer)) return void (api ? apiRefuse(res, viewer) : pageRefuse(res, viewer));
    res.locals.viewer = viewer;
    next();
  });

  router.get('/', async (_req, res) => {
    const viewer = viewerOf(res);
    res.type('html').send(pickerPage(pickable(viewer, await ctx.repos.people.list()), ctx.policy, { mode: viewer.kind }));
  });
  router.get('/chat', async (req, res) => {
    const viewer = viewerOf(res);
    const id = typeof req.query.personId === 'string' ? req.query.personId : '';
    const refused = viewRefusal(viewer, id);
    if (refused) return void pageRefuse(res, refused);
    const person = id ? await ctx.repos.people.findById(id) : null;
    if (!person) return void res.status(404).type('html').send(messagePage('Unknown person', 'Nobody with that id is registered. Choose someone from the list.'));
    res.type('html').send(chatPage(person, ctx.policy, { mode: viewer.kind }));
  });
  router.get('/dashboard', async (_req, res) => {
    res.type('html').send(await dashboardPage(ctx, deps.deliveries));
  });

  const json = express.json({ limit: '200kb' });
  /** Validates the body, finds the person, runs the interaction, renders the reply. */
  function interact<S extends z.ZodType<{ personId: string }>>(schema: S, toInteraction: (body: z.infer<S>) => Interaction): RequestHandler[] {
    const requireJson: RequestHandler = (req, res, next) => {
      // Read-only before anything else: the shared token never reaches the conversation.
      if (viewerOf(res).kind === 'reader') return void apiRefuse(res, READ_ONLY);
      // Also what keeps a cross-site HTML form from posting here with the cookie.
      if (!req.is('application/json')) return void apiError(res, 415, 'console.json_required', 'Send the body as JSON (Content-Type: application/json).');
      next();
    };
    const handle: RequestHandler = async (req: Request, res: Response) => {
      const parsed = schema.safeParse(req.body ?? {});
      if (!parsed.success) return void apiError(res, 400, 'console.invalid', firstIssue(parsed.error));
      // A personal token acts only as its person, whatever personId the body names.
      const refused = actRefusal(viewerOf(res), parsed.data.personId);
      if (refused) return void apiRefuse(res, refused);
      const person = await ctx.repos.people.findById(parsed.data.personId);
      if (!person) return void apiError(res, 404, 'console.unknown_person', `No person with id ${parsed.data.personId}.`);
      res.json(renderReply(await conversation.handle(person, toInteraction(parsed.data))));
    };
    return [requireJson, json, handle];
  }

  router.post('/api/command', ...interact(commandBody, (b) => ({ kind: 'command', text: b.text })));
  router.post('/api/action', ...interact(actionBody, (b) => ({ kind: 'action', actionId: b.actionId, value: b.value })));
  router.post('/api/form', ...interact(formBody, (b) => ({ kind: 'form', formId: b.formId, values: b.values, hidden: b.hidden })));

  router.get('/api/notifications', async (req, res) => {
    const parsed = notificationsQuery.safeParse(req.query);
    if (!parsed.success) return void apiError(res, 400, 'console.invalid', firstIssue(parsed.error));
    const refused = viewRefusal(viewerOf(res), parsed.data.personId);
    if (refused) return void apiRefuse(res, refused);
    if (!(await ctx.repos.people.findById(parsed.data.personId))) {
      return void apiError(res, 404, 'console.unknown_person', `No person with id ${parsed.data.personId}.`);
    }
    await feed.stream(parsed.data.personId, req, res);
  });

  // Unknown console API paths answer JSON like the rest of the API.
  router.use('/api', (req, res) => void apiError(res, 404, 'http.not_found', `No route for ${req.method} ${req.baseUrl}${req.path}`));

  // A database outage (the sign-in's person lookup included) is a 503 that says so, as a page
  // for the browser and JSON for the API; anything else goes on to the app's error handler.
  const outage: ErrorRequestHandler = (err, req, res, next) => {
    if (res.headersSent || !isDatabaseUnavailable(err)) return next(err);
    logger.warn({ path: req.path, err: { name: (err as Error).name, message: (err as Error).message } }, 'console: database unavailable');
    latch?.trip();
    unavailable(req, res);
  };
  router.use(outage);

  return { router, feed, close: () => latch?.close() };
}
