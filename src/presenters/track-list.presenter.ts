// The view model of a page's track list, built once per page so views/partials/tracks.ejs only
// renders: per song its heart (a form for a listener, a log-in link for a visitor) and, for a
// listener with playlists, the "add to playlist" menu; per page where those forms come back to.
// The player's page data is the API's own song shape (toApiSong), so the browser sees one shape.
import type { Request } from 'express';
import { type ApiSong, type Song, toApiSong } from '../catalog/catalog.types.js';

export interface TrackView {
  song: Song;
  /** The listener loves it: the heart is pressed, and its form removes the favorite. */
  loved: boolean;
  /** Where the heart's form posts (listeners only). */
  heartAction: string;
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
  genre?: { drug: { slug: string; name: string }; mood: { slug: string; name: string }; hidden: boolean };
}

export interface TrackListOptions {
  /** Where the forms come back to; default: this page. */
  returnTo?: string;
  /** A history: songs[i] was played as played[i] (a song may then be listed more than once). */
  played?: readonly Played[];
  /** A genre's player: each song offers to be hidden from this genre. */
  hideFrom?: { id: number; name: string };
}

export interface TrackList {
  tracks: TrackView[];
  /** The songs for the player's script, in the API's shape. */
  data: ApiSong[];
  /** Where the heart and "add to playlist" forms come back to after posting. */
  returnTo: string;
  /** For a visitor: log in, then come back here. Undefined for a listener. */
  loginUrl?: string;
  /** The listener's playlists for "add to playlist"; empty when there are none, or for a visitor. */
  menu: { id: number; name: string }[];
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
  label: `${at.slice(0, 10)} ${at.slice(11, 16)} UTC`,
  genre: genre && {
    name: `${genre.drug.name} · ${genre.mood.name}`,
    href: genre.hidden ? undefined : `/playlist/${genre.drug.slug}/${genre.mood.slug}`,
  },
});

export function createTrackListPresenter({ lovedAmong, playlistMenu }: TrackListDeps): TrackListPresenter {
  return async (req, songs, { returnTo = req.originalUrl, played, hideFrom } = {}) => {
    const user = req.user;
    const ids = songs.map((s) => s.id);
    const [loved, menu] = user ? await Promise.all([lovedAmong(user.id, ids), playlistMenu(user.id)]) : [new Set<number>(), []];
    return {
      tracks: songs.map((song, i) => {
        const play = played?.[i];
        return {
          song,
          loved: loved.has(song.id),
          heartAction: `/favorites/${song.id}${loved.has(song.id) ? '/remove' : ''}`,
          ...(play && { played: playedView(play) }),
        };
      }),
      data: songs.map(toApiSong),
      returnTo,
      loginUrl: user ? undefined : `/login?next=${encodeURIComponent(returnTo)}`,
      menu,
      hideFrom,
    };
  };
}
