// Cover art apps can decode: each drug's artwork (public/img/drugs/*.svg) rendered to PNG at the
// size asked, with resvg (already the link previews' renderer: no browser, no system library).
// Many Android apps decode only JPEG and PNG, so SVG is never sent. Renders are kept in memory,
// the least recently used going first.
import fs from 'node:fs';
import path from 'node:path';
import { Resvg } from '@resvg/resvg-js';
import { bufferEtag } from '../http/etag.js';

/** The sizes drawn: apps ask for anything from thumbnails to full screen. */
export const COVER_MIN = 16;
export const COVER_MAX = 1200;
/** Without `size`: the artwork's own. */
const COVER_DEFAULT = 512;
/** Each PNG is a few to some tens of KB. */
const MAX_CACHED = 64;

export interface CoverImage {
  body: Buffer;
  etag: string;
}

export function createCoverArt(dir: string) {
  const sources = new Map(
    fs
      .readdirSync(dir)
      .filter((name) => name.endsWith('.svg'))
      .map((name) => [name.slice(0, -4), fs.readFileSync(path.join(dir, name), 'utf8')]),
  );
  const cache = new Map<string, CoverImage>();

  return {
    /** The drug's artwork (or the default one) as a square PNG `size` pixels wide, clamped to COVER_MIN..COVER_MAX. */
    png(slug: string, size?: number): CoverImage {
      const source = sources.has(slug) ? slug : 'default';
      const width = Math.min(COVER_MAX, Math.max(COVER_MIN, Math.round(size ?? COVER_DEFAULT)));
      const key = `${source}@${width}`;
      let hit = cache.get(key);
      if (hit) {
        cache.delete(key);
      } else {
        const body = new Resvg(sources.get(source)!, { fitTo: { mode: 'width', value: width } }).render().asPng();
        hit = { body, etag: bufferEtag(body) };
        if (cache.size >= MAX_CACHED) cache.delete(cache.keys().next().value!);
      }
      cache.set(key, hit);
      return hit;
    },
  };
}
