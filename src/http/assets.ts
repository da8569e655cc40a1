// Static files under /static, fingerprinted: views name them with asset('css/site.css'), which
// appends the file's content hash (?v=…). A request carrying the current hash may be cached for a
// year (the URL changes when the file does); any other is revalidated each time (ETag, 304).
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import express, { type RequestHandler } from 'express';

const YEAR = 'public, max-age=31536000, immutable';
const REVALIDATE = 'public, max-age=0, must-revalidate';
/** Bounded: the names come from the site's own views and catalog, but a request's ?v= check passes any path through here. */
const MAX_REMEMBERED = 5000;

/** A malformed %-escape names no file (express.static answers 404), rather than throwing. */
const decoded = (file: string) => {
  try {
    return decodeURIComponent(file);
  } catch {
    return '';
  }
};

export interface Assets {
  /** `/static/<file>?v=<hash>` for a file under the public folder ('css/site.css'). */
  url(file: string): string;
  /** The static files, with the cache header the URL earns. */
  serve(): RequestHandler[];
}

/** `rehash`: read files again on every use (development, where the bundle is rebuilt under us). */
export function createAssets(dir: string, { rehash }: { rehash: boolean }): Assets {
  const root = path.resolve(dir);
  // Each file's hash, or null for a file that is not there (a drug added without its artwork):
  // remembered too, so a page naming it does not look for it on disk at every render.
  const hashes = new Map<string, string | null>();

  const hashOf = (file: string): string | undefined => {
    const known = rehash ? undefined : hashes.get(file);
    if (known !== undefined) return known ?? undefined;
    const full = path.resolve(root, file);
    if (!full.startsWith(root + path.sep)) return undefined;
    let hash: string | null = null;
    try {
      hash = createHash('sha256').update(fs.readFileSync(full)).digest('base64url').slice(0, 12);
    } catch {
      // no such file: its URL goes unversioned and express.static answers 404
    }
    if (hashes.size < MAX_REMEMBERED) hashes.set(file, hash);
    return hash ?? undefined;
  };

  return {
    url(file) {
      const hash = hashOf(file);
      return hash ? `/static/${file}?v=${hash}` : `/static/${file}`;
    },
    serve() {
      const cacheHeader: RequestHandler = (req, res, next) => {
        const v = req.query.v;
        res.setHeader('Cache-Control', typeof v === 'string' && v === hashOf(decoded(req.path.slice(1))) ? YEAR : REVALIDATE);
        next();
      };
      return [cacheHeader, express.static(root, { cacheControl: false })];
    },
  };
}
