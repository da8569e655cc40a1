// Songs and genres as the Subsonic API shows them. A genre is "Weed · Groovin'" (one drug → mood
// pair); a song's id is its catalog id; its cover art is its drug's artwork.
import type { Genre, Song } from '../catalog/catalog.types.js';

export const genreName = ({ drug, mood }: Pick<Genre, 'drug' | 'mood'>) => `${drug.name} · ${mood.name}`;

const AUDIO_SUFFIXES: Record<string, string> = { mp3: 'audio/mpeg', ogg: 'audio/ogg', m4a: 'audio/mp4', wav: 'audio/wav', flac: 'audio/flac' };

/** A song as a Subsonic `child`; `genre` when the answer is about one genre. */
export function toChild(song: Song, genre?: Genre) {
  const suffix = /\.([a-z0-9]{2,4})(?:$|[?#])/i.exec(song.url)?.[1]?.toLowerCase();
  return {
    id: String(song.id),
    parent: genre ? `genre-${genre.mood.id}` : undefined,
    isDir: false,
    title: song.title,
    album: song.album ?? undefined,
    artist: song.artist,
    year: song.year ?? undefined,
    genre: genre ? genreName(genre) : undefined,
    coverArt: genre ? `drug-${genre.drug.slug}` : undefined,
    duration: song.durationSeconds ?? undefined,
    suffix,
    contentType: suffix ? AUDIO_SUFFIXES[suffix] : undefined,
    type: 'music',
    isVideo: false,
  };
}

// Artists and albums have no table of their own: their ids carry their names (base64url), so an id
// always finds its songs and nothing is stored to keep in step with the catalog.
export const artistId = (artist: string) => `ar-${Buffer.from(artist).toString('base64url')}`;
export const albumId = (artist: string, album: string | null) => `al-${Buffer.from(JSON.stringify([artist, album])).toString('base64url')}`;

export function artistOf(id: string): string | undefined {
  if (!id.startsWith('ar-')) return undefined;
  return Buffer.from(id.slice(3), 'base64url').toString('utf8') || undefined;
}

export function albumOf(id: string): { artist: string; album: string | null } | undefined {
  if (!id.startsWith('al-')) return undefined;
  try {
    const [artist, album] = JSON.parse(Buffer.from(id.slice(3), 'base64url').toString('utf8')) as unknown[];
    if (typeof artist !== 'string' || (album !== null && typeof album !== 'string')) return undefined;
    return { artist, album };
  } catch {
    return undefined;
  }
}

/** Songs on no album are the artist's singles. */
export const albumName = (album: string | null) => album ?? 'Singles';
