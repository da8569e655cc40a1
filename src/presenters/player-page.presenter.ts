// The player page's view model: what the player view renders for a drawn batch of a genre, and
// the playlist API's JSON answer for one. The page and API routes (playlists/playlist.routes.ts)
// build their answers here, and so do the load test's twins, so all three answer alike.
import type { Request } from 'express';
import { toApiSong } from '../catalog/catalog.types.js';
import { type Genre, genreApiPath, genreEmbedPath, genreKey, genreName, genrePath } from '../catalog/genre.js';
import type { PublicUrl } from '../http/public-url.js';
import type { PlaylistBatch } from '../playlists/playlist.service.js';
import { genreMeta } from '../previews/page-meta.js';
import type { TrackListPresenter } from './track-list.presenter.js';

/** The list exactly as these songs and this cursor make it: what "Share this mix" hands out. */
const listPath = (genre: Genre, songs: readonly { id: number }[], cursor: string) =>
  `${genrePath(genre)}?songs=${songs.map((s) => s.id).join('-')}&cursor=${encodeURIComponent(cursor)}`;

/** The player view's own locals for a drawn batch (the load test's twins render the page with them too). */
export async function playerLocals(
  req: Request,
  { genre, batch, continuedFrom }: { genre: Genre; batch: PlaylistBatch; continuedFrom?: string },
  view: { radio: boolean; dose?: string; fresh: boolean },
  { trackList, publicUrl }: { trackList: TrackListPresenter; publicUrl: PublicUrl },
) {
  const shareUrl = batch.songs.length ? listPath(genre, batch.songs, batch.cursor) : `${genrePath(genre)}?dose=${batch.dose}`;
  const key = genreKey(genre);
  const name = genreName(genre);
  return {
    title: name,
    genre,
    batch,
    apiUrl: genreApiPath(genre),
    shareUrl,
    freshUrl: `${genrePath(genre)}?fresh=1`,
    radio: view.radio ? radioData(genre, batch, continuedFrom, view.fresh) : null,
    meta: genreMeta({ genre, dose: view.dose, songs: batch.songs }, (path) => publicUrl(req, path)),
    // Forms posted without JavaScript come back to this same mix, not to a new one.
    tracks: await trackList(req, batch.songs, {
      returnTo: shareUrl,
      hideFrom: { id: genre.mood.id, name },
      source: {
        // A radio is one list however often its page is opened; a mix or a shared list is its own URL's.
        key: view.radio ? `radio:${key}` : `mix:${req.originalUrl}`,
        label: name,
        href: view.radio ? genrePath(genre) : req.originalUrl,
        art: `img/drugs/${genre.drug.slug}.svg`,
        genre: key,
        share: { page: genrePath(genre), embed: genreEmbedPath(genre) },
      },
    }),
  };
}

/** What the player's script needs to continue (and remember) this radio. */
const radioData = (genre: Genre, batch: PlaylistBatch, continuedFrom: string | undefined, fresh: boolean) => ({
  key: genreKey(genre),
  name: genreName(genre),
  continuedFrom: continuedFrom ?? null,
  fresh,
  cursor: batch.cursor,
});

export const apiAnswer = ({ genre, batch }: { genre: Genre; batch: PlaylistBatch }) => ({
  drug: { slug: genre.drug.slug, name: genre.drug.name },
  mood: { slug: genre.mood.slug, name: genre.mood.name },
  songs: batch.songs.map(toApiSong),
  cursor: batch.cursor,
  dose: batch.dose,
});
