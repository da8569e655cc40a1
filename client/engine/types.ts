// What the player plays: lists of tracks, each from a source ("Playing from: …"). A track is the
// API's song, whose one definition is on the server beside the catalog's types (a type only:
// nothing of the server enters the bundle); a listener's pages also say whether they love it.
import type { ApiSong } from '../../src/catalog/catalog.types.js';
import type { ListSource } from '../../src/presenters/list-source.js';

export type { ListSource };

export type Track = ApiSong & { favorited?: boolean };

/** A genre's radio as its page describes it (radioData in src/playlists/playlist.routes.ts). */
export interface RadioData {
  /** "drug/mood". */
  key: string;
  /** "Weed · Groovin'". */
  name: string;
  /** The saved place the server continued a listener's radio from; null when it began afresh. */
  continuedFrom: string | null;
  /** The page was asked to start the radio over (?fresh=1). */
  fresh: boolean;
}

/** A list and everything needed to play it on: a page's #playlist-data, and what the dock plays. */
export interface PlayList {
  source: ListSource;
  /** Where the next batch comes from; null for a list that ends. */
  api: string | null;
  cursor: string | null;
  songs: Track[];
  /** A genre's radio (not a shared mix, favorites or a playlist). */
  radio: RadioData | null;
  /** The genre a listener can hide songs from ("not for this vibe"). */
  hideFrom: { id: number; name: string } | null;
}

/** `GET /api/playlists/:drug/:mood?cursor=` (and the favorites' twin): the fields the player uses. */
export interface PlaylistBatch {
  songs: Track[];
  /** Where the walk goes on from after these songs. */
  cursor: string;
}
