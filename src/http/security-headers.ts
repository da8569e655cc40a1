// helmet's headers for every page, and the one exception: the embeddable players, which any site
// may frame. Every other page refuses to be framed by one policy, CSP's frame-ancestors 'none':
// no X-Frame-Options beside it (frameguard off), so no two headers can ever say different things.
import type { RequestHandler } from 'express';
import helmet from 'helmet';
import type { Config } from '../config.js';
import { secureToken } from '../random.js';

/** Stands for the response's own nonce in the recorded policy. */
const NONCE = '{nonce}';

const directives = (config: Pick<Config, 'upgradeInsecureRequests'>) => ({
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'"],
  // One inline <style> is allowed, by nonce: the navigation progress bar of Turbo (client/site.ts),
  // which reads the nonce from the page's <meta name="csp-nonce">. No inline script, ever.
  styleSrc: ["'self'", `'nonce-${NONCE}'`],
  imgSrc: ["'self'", 'data:'],
  // Admins may add songs hosted elsewhere; the player streams them directly.
  mediaSrc: ["'self'", 'https:', 'http:'],
  connectSrc: ["'self'"],
  // default-src covers these too; named so that tightening it cannot silently break installing the app.
  workerSrc: ["'self'"],
  manifestSrc: ["'self'"],
  objectSrc: ["'none'"],
  frameAncestors: ["'none'"],
  formAction: ["'self'"],
  upgradeInsecureRequests: config.upgradeInsecureRequests ? [] : null,
});

/**
 * helmet's headers, worked out once: helmet runs at start-up against a recorder, and each response
 * gets the recorded headers in one call instead of a dozen middlewares rebuilding them, helmet
 * staying the source of the values. Only the style nonce changes per response (`res.locals.cspNonce`,
 * which views/partials/head.ejs puts in the page).
 */
export function securityHeaders(config: Pick<Config, 'upgradeInsecureRequests'>): RequestHandler {
  const headers = recordHeaders(helmet({ contentSecurityPolicy: { directives: directives(config) }, frameguard: false }));
  const [before, after] = headers.get('Content-Security-Policy')!.split(NONCE) as [string, string];
  return (_req, res, next) => {
    const nonce = secureToken(16);
    res.locals.cspNonce = nonce;
    headers.set('Content-Security-Policy', before + nonce + after);
    res.setHeaders(headers);
    next();
  };
}

function recordHeaders(middleware: RequestHandler): Map<string, string> {
  const headers = new Map<string, string>();
  const recorder = {
    setHeader: (name: string, value: unknown) => headers.set(name, String(value)),
    removeHeader: (name: string) => headers.delete(name),
  };
  let done = false;
  middleware({} as never, recorder as never, () => {
    done = true;
  });
  // helmet is synchronous; if a version ever were not, this fails at start-up rather than serving without headers.
  if (!done || headers.size === 0) throw new Error('could not record the security headers');
  return headers;
}

/** For the embed pages only: the same policy, but any site may frame them. */
export function framableAnywhere(config: Pick<Config, 'upgradeInsecureRequests'>): RequestHandler {
  // Embeds run no Turbo, so they need no style nonce.
  const policy = helmet.contentSecurityPolicy({ directives: { ...directives(config), styleSrc: ["'self'"], frameAncestors: ['*'] } });
  return (req, res, next) => {
    // frame-ancestors supersedes X-Frame-Options, but older browsers obey only the latter.
    res.removeHeader('X-Frame-Options');
    // A page with Cross-Origin-Embedder-Policy may only frame documents that allow it.
    res.setHeader('Cross-Origin-Resource-Policy', 'cross-origin');
    policy(req, res, next);
  };
}
