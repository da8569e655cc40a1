// The 404 handler and the one error handler: JSON for /api and JSON clients, pages otherwise.
import type { ErrorRequestHandler, Request, RequestHandler } from 'express';
import { isUnavailable } from '../db/dialect.js';
import { AppError, NotFound, RETRY_AFTER_SECONDS, ServiceBusy, ValidationFailed } from './errors.js';
import { LoginRequired } from './guards.js';
import { renderForm } from './validate.js';

export const wantsJson = (req: Request) => req.path.startsWith('/api/') || req.accepts(['html', 'json']) === 'json';

export const notFoundHandler: RequestHandler = (req, _res, next) => {
  next(new NotFound(`Nothing at ${req.path}`));
};

/** body-parser and friends mark client mistakes with `status` and `expose`. */
function fromHttpError(err: unknown): AppError | undefined {
  const e = err as { status?: number; expose?: boolean; type?: string; message?: string };
  if (typeof e?.status === 'number' && e.status >= 400 && e.status < 500 && e.expose) {
    return new AppError(e.type?.replace(/\./g, '_') ?? 'bad_request', e.status, e.message ?? 'Bad request');
  }
  return undefined;
}

/** A database that is down, frozen or full: the one place such errors become 503 + Retry-After. */
function fromUnavailableDatabase(err: unknown, req: Request): AppError | undefined {
  if (!isUnavailable(err)) return undefined;
  // No message: knex prefixes it with the SQL and its bindings (which may hold a password hash).
  const { code, errno, name } = err as { code?: unknown; errno?: unknown; name?: unknown };
  req.log?.warn({ db: { code, errno, name } }, 'database unavailable');
  return new ServiceBusy('Stereodose cannot reach its music library right now; please try again in a moment.');
}

export const errorHandler: ErrorRequestHandler = (err, req, res, _next) => {
  const known = err instanceof AppError ? err : (fromUnavailableDatabase(err, req) ?? fromHttpError(err));
  if (!known) req.log?.error({ err }, 'unhandled error');
  const status = known?.status ?? 500;
  const code = known?.code ?? 'internal';
  const message = known?.message ?? 'Something went wrong on our side. Please try again.';
  const fields = known instanceof ValidationFailed ? known.fields : undefined;
  if (res.headersSent) return;
  if (status === 503) res.set('Retry-After', RETRY_AFTER_SECONDS);

  if (wantsJson(req)) {
    res.status(status).json({ error: { code, message, ...(fields && { fields }), ...known?.details } });
    return;
  }
  if (known instanceof LoginRequired) return res.redirect(303, known.loginUrl);
  if (known instanceof ValidationFailed && known.form) {
    return renderForm(res, known.form, { status, values: known.values, errors: known.fields, message });
  }
  res.status(status).render('error', { title: status === 404 ? 'Not found' : 'Error', status, message, fields });
};
