// Leaving with your data, and leaving: the account's export (everything it holds, as JSON, app
// passwords by name only) and its deletion, which asks for the password first.
import type { AppPasswordsRepository } from '../app-passwords/app-passwords.repository.js';
import type { Song } from '../catalog/catalog.types.js';
import { genreName } from '../catalog/genre.js';
import type { FavoritesRepository } from '../favorites/favorites.repository.js';
import type { HiddenSongsRepository } from '../hidden-songs/hidden-songs.repository.js';
import type { HistoryRepository } from '../history/history.repository.js';
import { NotFound, ValidationFailed } from '../http/errors.js';
import type { SubsonicListenerRepository } from '../subsonic/subsonic-listener.repository.js';
import type { UserPlaylistsRepository } from '../user-playlists/user-playlists.repository.js';
import type { AccountDataRepository } from './account-data.repository.js';
import { verifyPassword } from './passwords.js';
import type { UsersRepository } from './users.repository.js';

export interface AccountDataDeps {
  users: UsersRepository;
  accountData: AccountDataRepository;
  favorites: FavoritesRepository;
  playlists: UserPlaylistsRepository;
  history: HistoryRepository;
  hidden: HiddenSongsRepository;
  appPasswords: AppPasswordsRepository;
  /** What Subsonic apps keep: ratings, album and artist stars, bookmarks, the play queue. */
  apps: Pick<SubsonicListenerRepository, 'exportOf'>;
}

const songOf = (song: Song) => ({ songId: song.id, title: song.title, artist: song.artist });

export function createAccountDataService({ users, accountData, favorites, playlists, history, hidden, appPasswords, apps }: AccountDataDeps) {
  return {
    /** Everything the account holds, in one JSON-ready object. */
    async exportOf(userId: number, now = new Date()) {
      const profile = await users.profile(userId);
      if (!profile) throw new NotFound('There is no such account.');
      const lists = await playlists.listByUser(userId);
      return {
        exportedAt: now.toISOString(),
        profile: { username: profile.username, email: profile.email, createdAt: profile.createdAt.toISOString() },
        favorites: (await favorites.exportOf(userId)).map((f) => ({ ...songOf(f.song), favoritedAt: f.favoritedAt.toISOString() })),
        playlists: await Promise.all(
          lists.map(async (p) => ({
            name: p.name,
            public: p.isPublic,
            songs: (await playlists.songs(p.id)).map((s) => ({ position: s.position, ...songOf(s) })),
          })),
        ),
        history: (await history.recent(userId)).map((h) => ({
          ...songOf(h.song),
          playedAt: h.playedAt,
          genre: h.genre ? genreName(h.genre) : null,
        })),
        hiddenSongs: (await hidden.list(userId)).map((h) => ({
          ...songOf(h.song),
          genre: genreName(h.genre),
          hiddenAt: h.hiddenAt.toISOString(),
        })),
        // Names and dates only: the passwords themselves never leave the server again.
        appPasswords: (await appPasswords.listByUser(userId)).map((p) => ({
          name: p.name,
          createdAt: p.createdAt.toISOString(),
          lastUsedAt: p.lastUsedAt?.toISOString() ?? null,
        })),
        apps: await apps.exportOf(userId),
      };
    },

    /** Deletes the account once the password proves it is its owner asking. */
    async deleteAccount(userId: number, password: string): Promise<void> {
      if (!(await verifyPassword((await users.passwordHash(userId)) ?? '', password))) {
        throw new ValidationFailed({ password: 'is wrong' });
      }
      await accountData.deleteAccount(userId);
    },
  };
}

export type AccountDataService = ReturnType<typeof createAccountDataService>;
