// Link-preview images: a card per page kind drawn from the catalog, rendered to PNG by resvg (no
// browser, no system fonts: the one font ships in assets/fonts/), and kept in memory.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { renderAsync, Resvg, type ResvgRenderOptions } from '@resvg/resvg-js';
import type { CatalogRepository } from '../catalog/catalog.repository.js';
import { type GenreDirectory, genreName } from '../catalog/genre.js';
import { NotFound } from '../lib/errors.js';
import type { CoverStore } from '../media/cover-store.js';
import { DRUG_ARTWORK_DIR, readDrugArtwork } from '../media/drug-artwork.js';
import { bufferEtag } from '../http/etag.js';
import { LruCache } from '../lib/lru-cache.js';
import { projectRoot } from '../paths.js';
import { paletteOf, SITE_PALETTE } from './drug-palette.js';
import { FONT_FAMILY, measuringSvg, type PreviewCard, previewSvg } from './preview-image.js';

export interface PreviewPng {
  body: Buffer;
  /** Strong: a hash of the bytes. */
  etag: string;
}

interface Deps {
  catalog: Pick<CatalogRepository, 'findDrug' | 'findSong'>;
  genres: Pick<GenreDirectory, 'current'>;
  /** Songs' own covers, read as they are kept. */
  covers?: Pick<CoverStore, 'original'>;
  artworkDir?: string;
  fontFile?: string;
  /** ~100 KB each. */
  maxCached?: number;
}

export function createPreviewsService({
  catalog,
  genres,
  covers,
  artworkDir = DRUG_ARTWORK_DIR,
  fontFile = path.join(projectRoot, 'assets', 'fonts', 'DejaVuSans-Bold.ttf'),
  maxCached = 64,
}: Deps) {
  // Without its font resvg draws no text at all and says nothing: better to fail at start-up.
  if (!fs.existsSync(fontFile)) throw new Error(`link previews: no font at ${fontFile}`);
  const options: ResvgRenderOptions = { font: { fontFiles: [fontFile], loadSystemFonts: false, defaultFontFamily: FONT_FAMILY }, logLevel: 'off' };
  const artwork = readDrugArtwork(artworkDir);
  const artworkOf = (slug: string) => artwork(slug).svg;

  const measure = (text: string) => {
    const box = new Resvg(measuringSvg(text), options).getBBox();
    return box ? box.x + box.width : 0;
  };

  // Keyed by everything drawn, so a renamed mood or a new colour is a new image, never a stale one.
  // Least recently used first; a render in flight is shared.
  const cache = new LruCache<string, Promise<PreviewPng>>(maxCached);

  async function render(card: PreviewCard): Promise<PreviewPng> {
    const body = (await renderAsync(previewSvg(card, measure), options)).asPng();
    return { body, etag: bufferEtag(body) };
  }

  function cached(card: PreviewCard): Promise<PreviewPng> {
    // A hash rather than the card itself: a cover's bytes are part of it.
    const key = createHash('sha256').update(JSON.stringify(card)).digest('base64');
    const hit = cache.get(key);
    if (hit) return hit;
    const rendering = render(card);
    rendering.catch(() => cache.delete(key));
    cache.set(key, rendering);
    return rendering;
  }

  return {
    /** The site's own card: home, shared playlists, the overall most favorited. */
    site: () =>
      cached({
        eyebrow: 'Pick a drug, pick a mood',
        title: 'Pick your dose',
        tagline: 'A fresh random playlist, every time',
        palette: SITE_PALETTE,
        artwork: artworkOf('default'),
      }),

    async drug(slug: string): Promise<PreviewPng> {
      const drug = await catalog.findDrug(slug);
      if (!drug) throw new NotFound(`There is no drug called “${slug}” here.`);
      return cached({
        eyebrow: 'Pick a mood',
        title: drug.name,
        tagline: drug.moods.map((m) => m.name).join(' · ') || 'No moods here yet',
        palette: paletteOf(drug),
        artwork: artworkOf(drug.slug),
      });
    },

    /** A song's card (a shared mix or playlist opening with it): its cover, or its drug's artwork. */
    async song(id: number): Promise<PreviewPng> {
      const found = await catalog.findSong(id);
      if (!found) throw new NotFound('There is no such song here.');
      const { song, genre } = found;
      const picture = song.cover ? await covers?.original(song.cover) : undefined;
      return cached({
        eyebrow: genreName(genre),
        title: song.title,
        tagline: `by ${song.artist}`,
        palette: paletteOf(genre.drug),
        artwork: artworkOf(genre.drug.slug),
        ...(picture && { picture: { type: picture.type, base64: picture.data.toString('base64') } }),
      });
    },

    async genre(drugSlug: string, moodSlug: string): Promise<PreviewPng> {
      const genre = await genres.current(drugSlug, moodSlug);
      if (!genre) throw new NotFound(`There is no mood “${moodSlug}” under “${drugSlug}”.`);
      return cached({
        eyebrow: genre.drug.name,
        title: genre.mood.name,
        tagline: 'A fresh random playlist',
        palette: paletteOf(genre.drug),
        artwork: artworkOf(genre.drug.slug),
      });
    },
  };
}

export type PreviewsService = ReturnType<typeof createPreviewsService>;
