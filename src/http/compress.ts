// gzip for what the site writes (HTML, CSS, JS, JSON, SVG) above a small size; never audio, which
// is compressed already and served in byte ranges that must stay byte-exact.
import compression from 'compression';
import type { RequestHandler } from 'express';

const SMALL_BYTES = 1024;

export function compressResponses(): RequestHandler {
  const gzip = compression({
    threshold: SMALL_BYTES,
    filter: (req, res) => {
      const type = String(res.getHeader('Content-Type') ?? '');
      if (type.startsWith('audio/') || req.headers.range) return false;
      return compression.filter(req, res);
    },
  });
  // A client that takes no compressed answer (a script, a load generator) skips compression's
  // wrapping of the response altogether; caches still learn that the answer varies by the header.
  return (req, res, next) => {
    if (req.headers['accept-encoding']) return gzip(req, res, next);
    res.vary('Accept-Encoding');
    next();
  };
}
