/**
 * The last two middlewares: a JSON 404, and the one place an error becomes an HTTP answer.
 * Clients get `{ error: { code, message } }` with a stable code and never a stack trace; the
 * log gets the full error when it is our fault (5xx).
 */
import type { ErrorRequestHandler, RequestHandler } from 'express';
import type { Logger } from 'pino';
import { ZodError } from 'zod';
import { type DomainErrorKind, isDomainError, validationFromIssues } from '../domain/errors';
import { isDatabaseUnavailable } from './databaseErrors';

export const DATABASE_UNAVAILABLE_MESSAGE = 'Steward cannot reach its database right now; try again in a minute.';

export interface ErrorBody {
  error: { code: string; message: string; details?: Record<string, unknown> };
}

export const STATUS_BY_KIND: Record<DomainErrorKind, number> = {
  validation: 400,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  unavailable: 503,
};

export const notFoundHandler: RequestHandler = (req, res) => {
  const body: ErrorBody = { error: { code: 'http.not_found', message: `No route for ${req.method} ${req.path}` } };
  res.status(404).json(body);
};

/** Errors raised by express/body-parser carry an HTTP status and an `expose` flag. */
interface HttpishError {
  status?: number;
  statusCode?: number;
  expose?: boolean;
  type?: string;
  message?: string;
}

export function toErrorResponse(err: unknown): { status: number; body: ErrorBody } {
  if (isDomainError(err)) {
    const { code, message, details } = err;
    return { status: STATUS_BY_KIND[err.kind], body: { error: { code, message, ...(details ? { details } : {}) } } };
  }
  if (isDatabaseUnavailable(err)) {
    // An outage is not "something went wrong on our side" to investigate per request: say what it is.
    return { status: 503, body: { error: { code: 'database.unavailable', message: DATABASE_UNAVAILABLE_MESSAGE } } };
  }
  if (err instanceof ZodError) {
    const v = validationFromIssues('request.invalid', err.issues);
    return { status: 400, body: { error: { code: v.code, message: v.message } } };
  }
  const h = (typeof err === 'object' && err !== null ? err : {}) as HttpishError;
  const status = h.status ?? h.statusCode;
  if (status && status >= 400 && status < 500) {
    if (h.type === 'entity.parse.failed') {
      return { status, body: { error: { code: 'request.invalid_json', message: 'The request body is not valid JSON' } } };
    }
    const message = h.expose && h.message ? h.message : 'The request could not be processed';
    return { status, body: { error: { code: `http.${status}`, message } } };
  }
  return { status: 500, body: { error: { code: 'internal', message: 'Something went wrong on our side; it has been logged' } } };
}

export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (err, req, res, next) => {
    // Headers already gone (a streamed response failed half-way): let express close the socket.
    if (res.headersSent) return next(err);
    const { status, body } = toErrorResponse(err);
    const where = { method: req.method, path: req.path, status, code: body.error.code };
    if (status >= 500) logger.error({ ...where, err }, 'request failed');
    else logger.info(where, body.error.message);
    res.status(status).json(body);
  };
}
