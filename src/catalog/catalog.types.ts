export interface Drug {
  id: number;
  slug: string;
  name: string;
  description: string;
  color: string;
  position: number;
}

/** A mood under a drug. The drug → mood pair is a genre; its id is the genre id. */
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

export interface Genre {
  drug: Drug;
  mood: Mood;
}

export interface Song {
  id: number;
  title: string;
  artist: string;
  album: string | null;
  year: number | null;
  url: string;
  durationSeconds: number | null;
  favoriteCount: number;
}

/** A song as the JSON API and the player's page data show it: the one public shape of a song. */
export interface ApiSong {
  id: number;
  title: string;
  artist: string;
  url: string;
  /** Seconds, when known. */
  duration: number | null;
  favoriteCount: number;
}

export const toApiSong = ({ id, title, artist, url, durationSeconds, favoriteCount }: Song): ApiSong => ({
  id,
  title,
  artist,
  url,
  duration: durationSeconds,
  favoriteCount,
});
