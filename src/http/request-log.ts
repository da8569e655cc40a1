// One JSON line per request, as it ends: its id, method, URL, status and time taken. Written for
// the hot path: a request costs an id, one listener and, when it ends, one log call. (pino-http,
// used before, built two child loggers per request and ran every line through them: on the 1M
// API run that was a measurable share of the app's CPU per request.) A route that logs something
// itself, through `req.log`, gets a child logger carrying the request, made the first time it asks.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import type { RequestHandler } from 'express';
import { requestId } from '../health/request-id.js';
import type { Logger } from '../logger.js';

declare module 'http' {
  interface IncomingMessage {
    /** The request's id (also the X-Request-Id response header). */
    id: string;
    /** The app's logger, with this request's id, method and URL on every line. */
    log: Logger;
  }
}

export interface RequestLogOptions {
  /** Requests not worth a line (static files). */
  ignore?: (url: string) => boolean;
}

/** A reset link's token opens the account for an hour: it stays out of the logs. */
const loggedUrl = (url: string) => (url.startsWith('/reset/') ? url.replace(/^\/reset\/[^/?#]+/, '/reset/…') : url);

export function requestLog(logger: Logger, { ignore = () => false }: RequestLogOptions = {}): RequestHandler {
  return (req, res, next) => {
    const id = requestId(req, res);
    const line = { id, method: req.method, url: loggedUrl(req.url) };
    req.id = id;
    let child: Logger | undefined;
    Object.defineProperty(req, 'log', {
      configurable: true,
      get: () => {
        child ??= logger.child({ req: line });
        return child;
      },
    });
    if (!ignore(req.url)) {
      const started = performance.now();
      // 'close' comes once, whether the answer was sent in full or the client went away first.
      res.once('close', () => logRequest(logger, line, res, performance.now() - started));
    }
    next();
  };
}

function logRequest(logger: Logger, req: { id: string; method: string; url: string }, res: ServerResponse<IncomingMessage>, elapsed: number): void {
  const entry = { req, res: { statusCode: res.statusCode }, responseTime: Math.round(elapsed) };
  if (res.statusCode >= 500) logger.error(entry, 'request errored');
  else logger.info(entry, res.writableFinished ? 'request completed' : 'request aborted');
}
