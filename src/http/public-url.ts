// Absolute URLs for what leaves the site (link previews, embed snippets, oEmbed): PUBLIC_URL, which
// production requires (config.ts). Without it (development, tests) they are built on the request's
// own scheme and Host, once both are checked: a scheme a trusted proxy forwards (X-Forwarded-Proto)
// counts only as http or https, and a Host that is no host name, IP address or port is a 400.
import type { Request } from 'express';
import type { Config } from '../config.js';
import { AppError } from '../lib/errors.js';

export type PublicUrl = (req: Request, path: string) => string;

/** A DNS name (labels of letters, digits, "-" and "_"), an IPv4 address or a bracketed IPv6 one; an optional port. */
const HOST =
  /^(?:[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?(?:\.[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?)*\.?|\[[0-9A-Fa-f:.]{2,45}\])(?::\d{1,5})?$/;

const badRequest = (message: string) => new AppError('bad_request', 400, message);

/** The origin this request came in on: `http(s)://host[:port]`. */
function requestOrigin(req: Request): string {
  const scheme = req.protocol;
  if (scheme !== 'http' && scheme !== 'https') throw badRequest('The forwarded scheme (X-Forwarded-Proto) must be http or https.');
  const host = req.get('host');
  if (!host || !HOST.test(host) || !URL.canParse(`${scheme}://${host}`)) throw badRequest('The Host header must name a host, and a port at most.');
  return `${scheme}://${host}`;
}

export function publicUrlOf(config: Pick<Config, 'publicUrl'>): PublicUrl {
  const { publicUrl } = config;
  return publicUrl ? (_req, path) => `${publicUrl}${path}` : (req, path) => `${requestOrigin(req)}${path}`;
}
