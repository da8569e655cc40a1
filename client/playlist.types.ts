// The JSON the player reads: the first batch the server renders into #playlist-data, and each
// further batch from the playlist API. A song here is the API's song, whose one definition is on
// the server beside the catalog's types (a type only: nothing of the server enters the bundle).
import type { ApiSong } from '../src/catalog/catalog.types.js';

export type Track = ApiSong;

/** #playlist-data. */
export interface PlaylistData {
  /** Where the next batch comes from; null for a list that does not continue. */
  api: string | null;
  cursor: string;
  songs: Track[];
  /** On a genre's player: the listener's radio (null for a shared mix, favorites, playlists). */
  radio: RadioData | null;
  /** On a genre's player: the genre a listener can hide songs from. */
  hideFrom: { id: number; name: string } | null;
}

/** The radio of the genre on the page (radioData in src/playlists/playlist.routes.ts). */
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

/** `GET /api/playlists/:drug/:mood?cursor=`: the fields the player uses (it also sends drug, mood and dose). */
export interface PlaylistBatch {
  songs: Track[];
  /** Where the walk goes on from after these songs. */
  cursor: string;
}
