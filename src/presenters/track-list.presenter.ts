// The view model of a page's track list, built once per page so views/partials/tracks.ejs only
// renders: per song its heart (a form for a listener, a log-in link for a visitor), "not for this
// vibe" on a genre's player, and for a listener the "add to playlist" menu; per page where those
// forms come back to, and what the list is to the player (its source). The page data is the API's
// own song shape (toApiSong), so the browser sees one shape; the page's <template> row is the same
// markup with placeholders (TEMPLATE_SONG) that client/ui/track-rows.ts fills in.
import type { Request } from 'express';
import { type ApiSong, type Song, toApiSong } from '../catalog/catalog.types.js';
import { type GenreOf, genreName, genrePath } from '../catalog/genre.js';
import { loginUrl } from '../http/guards.js';
import { utcMinute } from '../lib/utc.js';
import type { ListSource } from './list-source.js';

/** A song in the page data: for a listener, whether they love it. */
export type ListedSong = ApiSong & { favorited?: boolean };

/** The placeholders of the <template> row; the client replaces each `{name}` with the song's own. */
const TEMPLATE_SONG = {
  id: '{id}',
  title: '{title}',
  artist: '{artist}',
  album: null,
  year: null,
  track: null,
  url: '{url}',
  streamUrl: null,
  durationSeconds: null,
  favoriteCount: '{count}',
  loudness: null,
  cover: null,
} as unknown as Song;

export interface TrackView {
  song: Song;
  /** The listener loves it: the heart is pressed, and its form removes the favorite. */
  loved: boolean;
  /** Where the heart's form posts to love the song, and to stop loving it (listeners only). */
  heartActions: HeartActions;
  /** In a listening history: when it played, and the genre whose player played it. */
  played?: PlayedView;
}

export interface PlayedView {
  /** ISO 8601, for <time datetime>. */
  at: string;
  /** The same moment for people: "2026-12-10 14:05 UTC". */
  label: string;
  /** "Drug · Mood", with its player's page unless the genre is hidden. */
  genre?: { name: string; href?: string };
}

/** A play of the song at the same position in `songs`: see TrackListOptions.played. */
export interface Played {
  at: string;
  genre?: GenreOf<'slug' | 'name', 'slug' | 'name'> & { hidden: boolean };
}

export interface TrackListOptions {
  /** Where the forms come back to; default: this page. */
  returnTo?: string;
  /** A history: songs[i] was played as played[i] (a song may then be listed more than once). */
  played?: readonly Played[];
  /** A genre's player: each song offers to be hidden from this genre. */
  hideFrom?: { id: number; name: string };
  /** What the list is to the player; `art` is its artwork's file under public/ (default: the site's). */
  source?: Omit<ListSource, 'href' | 'artwork'> & { href?: string; art?: string };
}

export interface TrackList {
  tracks: TrackView[];
  /** The row the page's <template> holds, with placeholders for the song. */
  template: TrackView;
  /** The songs for the player's script, in the API's shape. */
  data: ListedSong[];
  source: ListSource;
  /** Where the heart and "add to playlist" forms come back to after posting. */
  returnTo: string;
  /** For a visitor: log in, then come back here. Undefined for a listener. */
  loginUrl?: string;
  /** The listener's playlists for "add to playlist" (which also offers a new one); undefined for a visitor. */
  menu?: { id: number; name: string }[];
  /** On a genre's player: the genre a song can be hidden from ("not for this vibe"). */
  hideFrom?: { id: number; name: string };
}

export interface TrackListDeps {
  lovedAmong(userId: number, songIds: readonly number[]): Promise<Set<number>>;
  playlistMenu(userId: number): Promise<{ id: number; name: string }[]>;
}

export type TrackListPresenter = (req: Request, songs: readonly Song[], options?: TrackListOptions) => Promise<TrackList>;

const playedView = ({ at, genre }: Played): PlayedView => ({
  at,
  label: utcMinute(new Date(at)),
  genre: genre && {
    name: genreName(genre),
    href: genre.hidden ? undefined : genrePath(genre),
  },
});

const DEFAULT_ARTWORK = 'img/drugs/default.svg';

export interface HeartActions {
  love: string;
  unlove: string;
}

/** Where a song's heart form posts: both are on the form, so the script points it at the other one after a fetch. */
const heartActions = (songId: number | string): HeartActions => ({ love: `/favorites/${songId}`, unlove: `/favorites/${songId}/remove` });

function sourceOf(
  req: Request,
  { art = DEFAULT_ARTWORK, href = req.originalUrl, ...rest }: NonNullable<TrackListOptions['source']>,
  asset: (file: string) => string,
): ListSource {
  return { ...rest, href, artwork: asset(art) };
}

export function createTrackListPresenter({ lovedAmong, playlistMenu, asset }: TrackListDeps & { asset(file: string): string }): TrackListPresenter {
  return async (req, songs, { returnTo = req.originalUrl, played, hideFrom, source } = {}) => {
    const user = req.user;
    const ids = songs.map((s) => s.id);
    const [loved, menu] = user ? await Promise.all([lovedAmong(user.id, ids), playlistMenu(user.id)]) : [new Set<number>(), undefined];
    const toData = user ? (song: Song) => ({ ...toApiSong(song), favorited: loved.has(song.id) }) : toApiSong;
    return {
      tracks: songs.map((song, i) => {
        const play = played?.[i];
        return {
          song,
          loved: loved.has(song.id),
          heartActions: heartActions(song.id),
          ...(play && { played: playedView(play) }),
        };
      }),
      template: { song: TEMPLATE_SONG, loved: false, heartActions: heartActions(TEMPLATE_SONG.id) },
      data: songs.map(toData),
      source: sourceOf(req, source ?? { key: `page:${req.path}`, label: 'This page' }, asset),
      returnTo,
      loginUrl: user ? undefined : loginUrl(returnTo),
      menu,
      hideFrom,
    };
  };
}
