// Stereodose's world in Subsonic's words, and its ids. A genre is named by catalog/genre.ts's
// genreName ("Weed · Groovin'", one drug → mood pair); a song's id is its catalog id; an artist is a name songs carry, an album an artist's songs
// sharing an album name (songs on none are their "Singles"); a playlist is a listener's own. Each
// of these is also a music directory: an artist's holds their albums, an album's its songs.
import { AUDIO_TYPES, isAudioExtension } from '../media/audio-types.js';

/** A song's file type, from its URL's extension. */
export function fileTypeOf(url: string): { suffix?: string; contentType?: string } {
  const suffix = /\.([a-z0-9]{2,4})(?:$|[?#])/i.exec(url)?.[1]?.toLowerCase();
  return { suffix, contentType: suffix && isAudioExtension(suffix) ? AUDIO_TYPES[suffix] : undefined };
}

// Artists and albums have no table of their own: their ids carry their names (base64url), so an id
// always finds its songs and nothing is stored to keep in step with the catalog.
export const artistId = (artist: string) => `ar-${Buffer.from(artist).toString('base64url')}`;
export const albumId = (artist: string, album: string | null) => `al-${Buffer.from(JSON.stringify([artist, album])).toString('base64url')}`;
export const playlistCoverId = (id: number) => `pl-${id}`;
/** A drug's artwork: the cover of every song in its moods that has none of its own. */
export const drugCoverId = (slug: string) => `drug-${slug}`;
/** A song's own cover is known by the song's id. */
export const songCoverId = (id: number) => String(id);

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
