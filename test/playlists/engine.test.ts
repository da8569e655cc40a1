import { describe, expect, it } from 'vitest';
import { dialectOf } from '../../src/db/dialect.js';
import { checkGenres } from '../../src/playlists/check.js';
import { decodeCursor } from '../../src/playlists/cursor.js';
import { createPlaylistRepository, songsAtRowsQuery } from '../../src/playlists/playlist.repository.js';
import { createPlaylistService } from '../../src/playlists/playlist.service.js';
import { useTestDb } from '../helpers/db.js';
import { makeGenre, makeSongs, seededRandom } from '../helpers/factories.js';

const t = useTestDb();
const service = (seed = 1) =>
  createPlaylistService({ repository: createPlaylistRepository(t.db), random: seededRandom(seed) });
const size = async (genreId: number) => createPlaylistRepository(t.db).genreSize(genreId);

describe('playlist engine', () => {
  it('when a genre has more songs than asked, then a batch holds k distinct songs of that genre', async () => {
    const { genreId } = await makeGenre(t.db);
    const ids = await makeSongs(t.db, genreId, 60);
    const batch = await service().nextBatch(genreId, await size(genreId), { limit: 30 });
    const drawn = batch.songs.map((s) => s.id);
    expect(new Set(drawn).size).toBe(30);
    expect(drawn.every((id) => ids.includes(id))).toBe(true);
  });

  it('when a genre is smaller than k, then the batch holds all N songs', async () => {
    const { genreId } = await makeGenre(t.db);
    const ids = await makeSongs(t.db, genreId, 7);
    const batch = await service().nextBatch(genreId, 7, { limit: 30 });
    expect(batch.songs.map((s) => s.id).sort((a, b) => a - b)).toEqual(ids);
  });

  it('when a genre is empty, then the batch is empty', async () => {
    const { genreId } = await makeGenre(t.db);
    expect((await service().nextBatch(genreId, 0, { limit: 30 })).songs).toEqual([]);
  });

  it('when two playlists are drawn, then they differ', async () => {
    const { genreId } = await makeGenre(t.db);
    await makeSongs(t.db, genreId, 50);
    const engine = service(42);
    const a = await engine.nextBatch(genreId, 50, { limit: 30 });
    const b = await engine.nextBatch(genreId, 50, { limit: 30 });
    expect(a.songs.map((s) => s.id)).not.toEqual(b.songs.map((s) => s.id));
    expect(a.dose).not.toBe(b.dose);
  });

  it('when a listener keeps following the cursor, then every song plays once before any repeats', async () => {
    const { genreId } = await makeGenre(t.db);
    // Few artists, so spacing reorders a lot — it must never pull the next walk's songs forward.
    const ids = await makeSongs(t.db, genreId, 47, (i) => `Artist ${i % 3}`);
    for (let seed = 1; seed <= 25; seed++) {
      const engine = service(seed);
      const played: number[] = [];
      let cursor;
      while (played.length < 60) {
        const batch = await engine.nextBatch(genreId, 47, { limit: 10, cursor });
        expect(batch.songs).toHaveLength(10); // the walk goes on after the whole genre has played
        played.push(...batch.songs.map((s) => s.id));
        cursor = decodeCursor(batch.cursor);
      }
      expect(played.slice(0, 47).sort((a, b) => a - b)).toEqual(ids);
    }
  });

  it('when the same dose is replayed on an unchanged genre, then the playlist is identical', async () => {
    const { genreId } = await makeGenre(t.db);
    await makeSongs(t.db, genreId, 80);
    const first = await service(5).nextBatch(genreId, 80, { limit: 30 });
    const again = await service(99).nextBatch(genreId, 80, { limit: 30, dose: first.dose });
    expect(again.songs.map((s) => s.id)).toEqual(first.songs.map((s) => s.id));
  });

  it('when many playlists are drawn with a seeded generator, then every song is equally likely (chi-square)', async () => {
    const { genreId } = await makeGenre(t.db);
    const ids = await makeSongs(t.db, genreId, 40);
    const engine = service(2026);
    const counts = new Map(ids.map((id) => [id, 0]));
    const draws = 600;
    const k = 10;
    for (let i = 0; i < draws; i++) {
      for (const song of (await engine.nextBatch(genreId, 40, { limit: k })).songs) counts.set(song.id, counts.get(song.id)! + 1);
    }
    const expected = (draws * k) / ids.length;
    const chiSquare = [...counts.values()].reduce((sum, c) => sum + (c - expected) ** 2 / expected, 0);
    // 39 degrees of freedom: the 0.1% critical value is 72.05.
    expect(chiSquare).toBeLessThan(72.05);
    expect(Math.min(...counts.values())).toBeGreaterThan(0);
  });

  it('when songs hold the same artist, then a batch avoids playing one artist twice in a row', async () => {
    const { genreId } = await makeGenre(t.db);
    await makeSongs(t.db, genreId, 40, (i) => (i % 3 === 0 ? 'Solo' : `Band ${i % 5}`));
    const batch = await service(8).nextBatch(genreId, 40, { limit: 30 });
    const repeats = batch.songs.filter((s, i) => i > 0 && batch.songs[i - 1]!.artist === s.artist);
    expect(repeats).toEqual([]);
  });

  it('when numbers are drawn, then the lookup uses the (genre, row_id_per_genre) unique index, never a scan', async () => {
    const { genreId } = await makeGenre(t.db);
    await makeSongs(t.db, genreId, 30);
    const { sql, bindings } = songsAtRowsQuery(t.db, genreId, [3, 9, 27]).toSQL();
    const plan = (await dialectOf(t.db).explain(t.db, sql, bindings)).join('\n');
    expect(plan).toContain('genre_songs_genre_row_unique');
    expect(plan).not.toMatch(/SCAN (gs|genre_songs)\b(?! USING)/);
    expect(plan).not.toMatch(/table=gs type=(ALL|index)\b/);
  });

  it('when a membership is removed mid-walk, then readers still get min(k, N) distinct songs and numbering stays dense', async () => {
    const { genreId } = await makeGenre(t.db);
    const ids = await makeSongs(t.db, genreId, 20);
    const engine = service(11);
    const started = await engine.nextBatch(genreId, 20, { limit: 5 });
    const { createMemberships } = await import('../../src/playlists/membership.js');
    for (const id of ids.slice(0, 6)) await createMemberships(t.db).remove(genreId, id);
    const next = await engine.nextBatch(genreId, await size(genreId), { limit: 10, cursor: decodeCursor(started.cursor) });
    expect(new Set(next.songs.map((s) => s.id)).size).toBe(10);
    expect(await checkGenres(t.db)).toEqual([]);
  });
});
