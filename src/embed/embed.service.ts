// What an embedded player plays and what an oEmbed answer says about it: a genre's radio (or a
// shared mix of it) or a listener's shared playlist. Plain data in and out; no session, no user.
import { type GenreDirectory, type GenreOf, genreApiPath, genreName } from '../catalog/genre.js';
import type { Song } from '../catalog/catalog.types.js';
import { NotFound } from '../lib/errors.js';
import { decodeCursor } from '../playlists/cursor.js';
import type { PlaylistService } from '../playlists/playlist.service.js';
import type { UserPlaylistsService } from '../user-playlists/user-playlists.service.js';
import type { Embeddable } from './embeddable.js';

export interface EmbedPlayer {
  /** "Weed · Groovin'", or the playlist's name. */
  title: string;
  /** The line above the song: what is playing from where. */
  eyebrow: string;
  /** The CSS theme of the site's player (a drug's colours). */
  theme: string;
  /** The drug whose artwork shows, if any. */
  drugSlug?: string;
  songs: Song[];
  /** Where the next batch comes from (a genre's walk); null for a playlist, which ends. */
  api: string | null;
  cursor: string | null;
}

interface Deps {
  playlists: Pick<PlaylistService, 'drawGenre' | 'listGenre'>;
  directory: Pick<GenreDirectory, 'find'>;
  userPlaylists: Pick<UserPlaylistsService, 'playShared'>;
  playlistSize: number;
}

export function createEmbedService({ playlists, directory, userPlaylists, playlistSize }: Deps) {
  const noSuchGenre = () => new NotFound('There is no such mood to play.');

  return {
    async player(target: Embeddable): Promise<EmbedPlayer> {
      if (target.kind === 'shared-playlist') {
        const { playlist, songs } = await userPlaylists.playShared(target.token, 'in-order');
        return { title: playlist.name, eyebrow: `${playlist.name} · a playlist by ${playlist.ownerName}`, theme: 'up-theme', songs, api: null, cursor: null };
      }
      const cursor = target.cursor === undefined ? undefined : decodeCursor(target.cursor);
      if (target.cursor !== undefined && !cursor) throw new NotFound('That shared list is not one Stereodose made.');
      // A list shared as it played: its songs, then its walk goes on (or a new one when it has no cursor).
      const drawn = target.songs
        ? await playlists.listGenre(target.drug, target.mood, target.songs, { cursor })
        : await playlists.drawGenre(target.drug, target.mood, { limit: playlistSize, dose: target.dose, cursor });
      if (!drawn) throw noSuchGenre();
      const { genre, batch } = drawn;
      const title = genreName(genre);
      return {
        title,
        eyebrow: target.dose || target.songs ? `${title} · a shared mix` : title,
        theme: `drug-${genre.drug.slug}`,
        drugSlug: genre.drug.slug,
        songs: batch.songs,
        api: genreApiPath(genre),
        cursor: batch.cursor,
      };
    },

    /** The title an oEmbed answer gives, and the genre whose preview image is its thumbnail. */
    async describe(target: Embeddable): Promise<{ title: string; genre?: GenreOf<'slug', 'slug'> }> {
      if (target.kind === 'shared-playlist') {
        const { playlist } = await userPlaylists.playShared(target.token, 'in-order');
        return { title: `${playlist.name} · a playlist by ${playlist.ownerName}` };
      }
      const found = await directory.find(target.drug, target.mood);
      if (!found) throw noSuchGenre();
      return {
        title: `${genreName(found.genre)} — ${target.dose || target.songs ? 'a shared mix' : 'a fresh random playlist'}`,
        genre: found.genre,
      };
    },
  };
}

export type EmbedService = ReturnType<typeof createEmbedService>;
