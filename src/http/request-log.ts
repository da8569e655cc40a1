// One JSON line per request, as it ends: its id, method, URL, status and time taken. Written for
// the hot path: a request costs an id, one listener and, when it ends, one log call. (pino-http,
// used before, built two child loggers per request and ran every line through them: on the 1M
// API run that was a measurable share of the app's CPU per request.) A route that logs something
// itself, through `req.log`, gets a child logger carrying the request, made the first time it asks.
// The URL is logged without credentials: Subsonic apps send theirs in the query string, and a
// mailed link's token is in its path.
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

/** Paths that carry a mailed link's token (a password reset opens the account): logged without it. */
const TOKEN_PATH = /^\/(reset|verify-email)\/[^/?#]+/;

/** Query parameters that carry credentials: a Subsonic app's password (p), token and salt (t, s), an API key. */
const CREDENTIAL_PARAMETERS = new Set(['p', 't', 's', 'apikey']);
/** Could a query hold one of them? (Most never do, and are logged as they came without further work.) */
const MAYBE_CREDENTIALS = /(?:^|&)(?:[pts]|apikey)=|%/i;

/**
 * The URL as the log may hold it: no token of a mailed link, no credential in the query. A
 * parameter's name is compared as the query parser reads it (decoded, any case), so `%70=` is `p`.
 */
export function loggedUrl(url: string): string {
  const path = TOKEN_PATH.test(url) ? url.replace(TOKEN_PATH, '/$1/…') : url;
  const start = path.indexOf('?');
  if (start === -1 || !MAYBE_CREDENTIALS.test(path.slice(start + 1))) return path;
  const query = path
    .slice(start + 1)
    .split('&')
    .map((pair) => {
      const name = pair.split('=', 1)[0]!;
      return CREDENTIAL_PARAMETERS.has(decodedName(name).toLowerCase()) ? `${name}=[redacted]` : pair;
    })
    .join('&');
  return `${path.slice(0, start)}?${query}`;
}

function decodedName(name: string): string {
  try {
    return decodeURIComponent(name.replace(/\+/g, ' '));
  } catch {
    return name;
  }
}

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
