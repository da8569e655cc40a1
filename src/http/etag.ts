// Validators for bytes the app holds in memory (demo audio, link-preview images): a strong ETag,
// and If-None-Match compared as RFC 9110 13.1.2 says. Not `req.fresh`: it answers 200 to any
// request with `Cache-Control: no-cache`, which fetch() adds to every conditional request it sends.
import { createHash } from 'node:crypto';

const etags = new WeakMap<Buffer, string>();

/** A strong ETag for the exact bytes; hashed once per buffer, then remembered for as long as it lives. */
export function bufferEtag(body: Buffer): string {
  let etag = etags.get(body);
  if (etag === undefined) {
    etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
    etags.set(body, etag);
  }
  return etag;
}

/** If-None-Match uses the weak comparison: `W/"x"` matches `"x"`. */
export function noneMatch(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  return header.split(',').some((tag) => {
    const t = tag.trim();
    return t === '*' || t === etag || t === `W/${etag}`;
  });
}
