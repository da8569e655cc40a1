// The 404 handler and the one error handler: JSON for /api and JSON clients; for pages, a refused
// form shown again (see forms.ts), a redirect to log in, or the error page.
import type { ErrorRequestHandler, Request, RequestHandler, Response } from 'express';
import { isUnavailable } from '../db/dialect.js';
import type { NodeMonitor } from '../db/node-monitor.js';
import { AppError, LoginRequired, NotFound, RETRY_AFTER_SECONDS, ServiceBusy, TooManyRequests } from '../lib/errors.js';
import { refusedForm, renderForm } from './forms.js';
import { setRetryAfter } from './rate-limit.js';

export const wantsJson = (req: Request) => req.path.startsWith('/api/') || req.path === '/oembed' || req.accepts(['html', 'json']) === 'json';

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
  // Once per outage when the server watches the node (db/node-monitor.ts), else once per request.
  const monitor = req.app?.locals.nodeMonitor as NodeMonitor | undefined;
  if (monitor) monitor.report(err);
  else {
    // No message: knex prefixes it with the SQL and its bindings (which may hold a password hash).
    const { code, errno, name } = err as { code?: unknown; errno?: unknown; name?: unknown };
    req.log?.warn({ db: { code, errno, name } }, 'database unavailable');
  }
  return new ServiceBusy('Stereodose cannot reach its music library right now; please try again in a moment.');
}

function retryAfter(res: Response, error: AppError): void {
  if (error instanceof TooManyRequests) setRetryAfter(res, error);
  else if (error.status === 503) res.set('Retry-After', RETRY_AFTER_SECONDS);
}

async function renderPage(error: AppError, req: Request, res: Response): Promise<void> {
  if (error instanceof LoginRequired) return res.redirect(303, error.loginUrl);
  const form = await refusedForm(req, error.status);
  if (form) return renderForm(res, form, { status: error.status, values: req.body, errors: error.fields, message: error.message });
  const title = error.status === 404 ? 'Not found' : 'Error';
  // `action`: where to go from here, when the error names a way out (a new reset link).
  const action = error.details?.action;
  res.status(error.status).render('error', { title, status: error.status, message: error.message, fields: error.fields, action });
}

const internal = () => new AppError('internal', 500, 'Something went wrong on our side. Please try again.');

export const errorHandler: ErrorRequestHandler = async (err, req, res, _next) => {
  const known = err instanceof AppError ? err : (fromUnavailableDatabase(err, req) ?? fromHttpError(err));
  if (!known) req.log?.error({ err }, 'unhandled error');
  if (res.headersSent) return;
  const error = known ?? internal();
  retryAfter(res, error);
  if (wantsJson(req)) {
    res.status(error.status).json({ error: { code: error.code, message: error.message, ...(error.fields && { fields: error.fields }), ...error.details } });
    return;
  }
  try {
    await renderPage(error, req, res);
  } catch (failure) {
    // Building the form page failed too (its record is gone, the database went away): say so plainly.
    const shown = failure instanceof AppError ? failure : (fromUnavailableDatabase(failure, req) ?? internal());
    if (!(failure instanceof AppError)) req.log?.error({ err: failure }, 'error page failed');
    retryAfter(res, shown);
    res.status(shown.status).render('error', { title: 'Error', status: shown.status, message: shown.message });
  }
};
