import { coverUrl, isHeldAudio, type Loudness, normalizationGainDb, PLAYER_COVER_SIZE } from './song-media.js';

export interface Drug {
  id: number;
  slug: string;
  name: string;
  description: string;
  color: string;
  position: number;
}

/** A mood under a drug. The drug → mood pair is a genre (genre.ts); its id is the genre id. */
export interface Mood {
  id: number;
  drugId: number;
  slug: string;
  name: string;
  description: string;
  position: number;
  songCount: number;
}

export interface DrugWithMoods extends Drug {
  moods: Mood[];
}

export interface Song {
  id: number;
  title: string;
  artist: string;
  album: string | null;
  year: number | null;
  /** The track number, from an uploaded file's tags. */
  track: number | null;
  /** The song's audio as it was given: the original file (uploads, demo songs) or a URL elsewhere. */
  url: string;
  /** The compressed copy listeners stream instead (lossless uploads, demo songs), when there is one. */
  streamUrl: string | null;
  durationSeconds: number | null;
  favoriteCount: number;
  /** Measured from the audio Stereodose holds; null until then, and for audio hosted elsewhere. */
  loudness: Loudness | null;
  /** The file name of the song's own cover (an upload's embedded picture), when it has one. */
  cover: string | null;
}

/** A song as the JSON API and the player's page data show it: the one public shape of a song. */
export interface ApiSong {
  id: number;
  title: string;
  artist: string;
  /** What a player streams: the compressed copy when there is one, else the song's own audio. */
  url: string;
  /** Seconds, when known. */
  duration: number | null;
  favoriteCount: number;
  /** dB that bring the song to the player's loudness target, peak-protected; null: play it as it is. */
  gainDb: number | null;
  /** The song's own cover (PNG), or null: the list's artwork stands for it. */
  artwork: string | null;
}

export const toApiSong = ({ id, title, artist, url, streamUrl, durationSeconds, favoriteCount, loudness, cover }: Song): ApiSong => ({
  id,
  title,
  artist,
  url: streamUrl ?? url,
  duration: durationSeconds,
  favoriteCount,
  // Only the audio Stereodose holds carries a gain: the player routes only those through Web Audio.
  gainDb: isHeldAudio(url) ? normalizationGainDb(loudness) : null,
  artwork: cover ? coverUrl(cover, PLAYER_COVER_SIZE) : null,
});
