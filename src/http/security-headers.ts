// helmet's headers for every page, and the one exception: the embeddable players, which any site
// may frame. Every other page refuses to be framed (frame-ancestors 'none' and X-Frame-Options).
import type { RequestHandler } from 'express';
import helmet from 'helmet';
import type { Config } from '../config.js';

const directives = (config: Pick<Config, 'env'>) => ({
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'"],
  styleSrc: ["'self'"],
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
  upgradeInsecureRequests: config.env === 'production' ? [] : null,
});

export function securityHeaders(config: Pick<Config, 'env'>): RequestHandler {
  return helmet({ contentSecurityPolicy: { directives: directives(config) } });
}

/** For the embed pages only: the same policy, but any site may frame them. */
export function framableAnywhere(config: Pick<Config, 'env'>): RequestHandler {
  const policy = helmet.contentSecurityPolicy({ directives: { ...directives(config), frameAncestors: ['*'] } });
  return (req, res, next) => {
    // frame-ancestors supersedes X-Frame-Options, but older browsers obey only the latter.
    res.removeHeader('X-Frame-Options');
    // A page with Cross-Origin-Embedder-Policy may only frame documents that allow it.
    res.setHeader('Cross-Origin-Resource-Policy', 'cross-origin');
    policy(req, res, next);
  };
}
