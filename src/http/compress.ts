// gzip for what the site writes (HTML, CSS, JS, JSON, SVG) above a small size; never audio, which
// is compressed already and served in byte ranges that must stay byte-exact.
import compression from 'compression';
import type { RequestHandler } from 'express';

const SMALL_BYTES = 1024;

export function compressResponses(): RequestHandler {
  return compression({
    threshold: SMALL_BYTES,
    filter: (req, res) => {
      const type = String(res.getHeader('Content-Type') ?? '');
      if (type.startsWith('audio/') || req.headers.range) return false;
      return compression.filter(req, res);
    },
  });
}
