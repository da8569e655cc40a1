// drawGenre plans a draw on the N it last saw; when the statement shows another N or catalog
// version it plans again, and after MAX_PLANS (3) stale plans it reads N on its own and draws
// from that. Here the churn is real: every draw statement is preceded by a real write, made by a
// wrapper around the real repository that also counts which path the service took.
import { describe, expect, it } from 'vitest';
import { CLI_ACTOR } from '../../src/audit/audit.repository.js';
import { createCatalogAdminRepository } from '../../src/admin/catalog/catalog-admin.repository.js';
import { createGenreDirectory } from '../../src/catalog/genre.js';
import { decodeCursor } from '../../src/playlists/cursor.js';
import { createPlaylistRepository, type PlaylistRepository } from '../../src/playlists/playlist.repository.js';
import { createPlaylistService } from '../../src/playlists/playlist.service.js';
import { useTestDb } from '../helpers/db.js';
import { makeGenre, makeSongs, seededRandom, type TestGenre, createMemberships } from '../helpers/factories.js';

const t = useTestDb();

/** The real repository; `beforeDraw` runs before each of the first `churnFor` draw statements. */
function churningRepository(beforeDraw: (statement: number) => Promise<unknown>, churnFor = Number.POSITIVE_INFINITY) {
  const real = createPlaylistRepository(t.db);
  const calls = { draw: 0, genreSize: 0, songsAtRows: 0 };
  const repository: PlaylistRepository = {
    async draw(genreId, rowIds) {
      const statement = calls.draw++;
      if (statement < churnFor) await beforeDraw(statement);
      return real.draw(genreId, rowIds);
    },
    genreSize(genreId) {
      calls.genreSize++;
      return real.genreSize(genreId);
    },
    songsAtRows(genreId, rowIds) {
      calls.songsAtRows++;
      return real.songsAtRows(genreId, rowIds);
    },
    songsById: real.songsById,
  };
  return { repository, calls };
}

const members = async (genreId: number) =>
  (await t.db('genre_songs').where('genre_id', genreId).pluck('song_id')).map(Number).sort((a: number, b: number) => a - b);

/** The engine as the app builds it, on a wrapped repository. */
const engineOn = (repository: PlaylistRepository) => createPlaylistService({ repository, directory: createGenreDirectory(t.db), random: seededRandom(11) });

type Churn = (genre: TestGenre, songIds: number[], statement: number) => Promise<unknown>;
const churns: [string, Churn][] = [
  ['a song joins the genre', (genre) => makeSongs(t.db, genre.genreId, 1)],
  ['a song leaves the genre', (genre, songIds, statement) => createMemberships(t.db).remove(genre.genreId, songIds[statement]!)],
  [
    'an admin renames the mood (a new catalog version)',
    (genre, _songIds, statement) =>
      createCatalogAdminRepository(t.db).updateMood(genre.drugId, genre.genreId, { name: `Renamed ${statement}`, description: '' }, CLI_ACTOR),
  ],
];

describe('a draw under constant churn', () => {
  it.each(churns)(
    'when %s before every draw statement, then after three stale plans the draw reads N itself and still returns every song of the genre once',
    async (_churn, churn) => {
      const genre = await makeGenre(t.db);
      const songIds = await makeSongs(t.db, genre.genreId, 12);
      const { repository, calls } = churningRepository((statement) => churn(genre, songIds, statement));
      const drawn = await engineOn(repository).drawGenre(genre.drugSlug, genre.moodSlug, { limit: 100 });

      expect(calls.draw).toBe(3); // every plan was stale…
      expect(calls.genreSize).toBe(1); // …so the fallback read N on its own
      expect(calls.songsAtRows).toBeGreaterThan(0); // and drew through the plain lookup
      const now = await members(genre.genreId);
      const ids = drawn!.batch.songs.map((s) => s.id);
      expect(new Set(ids).size).toBe(ids.length);
      expect([...ids].sort((a, b) => a - b)).toEqual(now);
      expect(drawn!.genre.mood.songCount).toBe(now.length);
      expect(decodeCursor(drawn!.batch.cursor)?.size).toBe(now.length);
      const mood = await t.db('moods').where('id', genre.genreId).first('name');
      expect(drawn!.genre.mood.name).toBe(mood.name);
    },
  );

  it('when the genre keeps changing and a listener asks for fewer songs than it holds, then the fallback’s batch is that many distinct songs of the genre', async () => {
    const genre = await makeGenre(t.db);
    await makeSongs(t.db, genre.genreId, 40);
    const { repository, calls } = churningRepository(() => makeSongs(t.db, genre.genreId, 1));
    const drawn = await engineOn(repository).drawGenre(genre.drugSlug, genre.moodSlug, { limit: 10 });
    expect(calls).toMatchObject({ draw: 3, genreSize: 1 });
    const ids = drawn!.batch.songs.map((s) => s.id);
    expect(ids).toHaveLength(10);
    expect(new Set(ids).size).toBe(10);
    const now = new Set(await members(genre.genreId));
    expect(ids.every((id) => now.has(id))).toBe(true);
  });

  it('when only the first plan is stale, then the second plan is drawn and the fallback never runs', async () => {
    const genre = await makeGenre(t.db);
    await makeSongs(t.db, genre.genreId, 12);
    const { repository, calls } = churningRepository(() => makeSongs(t.db, genre.genreId, 1), 1);
    const drawn = await engineOn(repository).drawGenre(genre.drugSlug, genre.moodSlug, { limit: 100 });
    expect(calls).toMatchObject({ draw: 2, genreSize: 0 });
    expect(drawn!.batch.songs.map((s) => s.id).sort((a, b) => a - b)).toEqual(await members(genre.genreId));
  });
});
