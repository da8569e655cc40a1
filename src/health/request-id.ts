// Every request gets an id for the logs and the `X-Request-Id` response header. A caller's own id
// (a proxy's, say) is kept when it is a plain token, so one id follows the request across services;
// anything else — too long, or carrying characters that could forge log lines — is replaced.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

const SANE_ID = /^[A-Za-z0-9._:-]{1,128}$/;

export const REQUEST_ID_HEADER = 'X-Request-Id';

/** Called once per request (http/request-log.ts), before any route runs. */
export function requestId(req: IncomingMessage, res: ServerResponse): string {
  const incoming = req.headers['x-request-id'];
  const id = typeof incoming === 'string' && SANE_ID.test(incoming) ? incoming : randomUUID();
  res.setHeader(REQUEST_ID_HEADER, id);
  return id;
}
