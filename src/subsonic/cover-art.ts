// Cover art apps can decode: each drug's artwork (public/img/drugs/*.svg) rendered to PNG at the
// size asked, with resvg (already the link previews' renderer: no browser, no system library).
// Many Android apps decode only JPEG and PNG, so SVG is never sent. Renders are kept in memory,
// the least recently used going first.
import { Resvg } from '@resvg/resvg-js';
import { bufferEtag } from '../http/etag.js';
import { LruCache } from '../lib/lru-cache.js';
import { readDrugArtwork } from '../media/drug-artwork.js';

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

export function createCoverArt(dir?: string) {
  const artwork = readDrugArtwork(dir);
  const cache = new LruCache<string, CoverImage>(MAX_CACHED);

  return {
    /** The drug's artwork (or the default one) as a square PNG `size` pixels wide, clamped to COVER_MIN..COVER_MAX. */
    png(slug: string, size?: number): CoverImage {
      const source = artwork(slug);
      const width = Math.min(COVER_MAX, Math.max(COVER_MIN, Math.round(size ?? COVER_DEFAULT)));
      const key = `${source.name}@${width}`;
      const hit = cache.get(key);
      if (hit) return hit;
      const body = new Resvg(source.svg, { fitTo: { mode: 'width', value: width } }).render().asPng();
      const drawn = { body, etag: bufferEtag(body) };
      cache.set(key, drawn);
      return drawn;
    },
  };
}
