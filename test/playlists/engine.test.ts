import { describe, expect, it } from 'vitest';
import { checkGenres } from '../../src/playlists/check.js';
import { coalesceDraws } from '../../src/playlists/coalesce.js';
import { createDb } from '../../src/db/knex.js';
import { dialectOf } from '../../src/db/dialect.js';
import { decodeCursor, type WalkCursor } from '../../src/playlists/cursor.js';
import { createGenreDirectory } from '../../src/catalog/genre.js';
import { CLI_ACTOR } from '../../src/audit/audit.repository.js';
import { createCatalogAdminRepository } from '../../src/admin/catalog/catalog-admin.repository.js';
import { createPlaylistRepository } from '../../src/playlists/playlist.repository.js';
import { createPlaylistService } from '../../src/playlists/playlist.service.js';
import { useTestDb } from '../helpers/db.js';
import { testDialectOf } from '../helpers/dialect.js';
import { makeGenre, makeSongs, seededRandom, createMemberships } from '../helpers/factories.js';
import { onlyStatementOf } from '../helpers/statements.js';

const t = useTestDb();
const service = (seed = 1) =>
  createPlaylistService({ repository: createPlaylistRepository(t.db), directory: createGenreDirectory(t.db), random: seededRandom(seed) });
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
      let cursor: WalkCursor | undefined;
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

  it('when numbers are drawn, then the lookup uses the (genre, row_id_per_genre) index (MySQL: the primary key that clusters the rows), never a scan', async () => {
    const { genreId } = await makeGenre(t.db);
    await makeSongs(t.db, genreId, 30);
    const { sql, bindings } = await onlyStatementOf(t.db, () => createPlaylistRepository(t.db).songsAtRows(genreId, [3, 9, 27]));
    const plan = (await testDialectOf(t.db).explain(t.db, sql, bindings)).join('\n');
    expect(plan).toContain(dialectOf(t.db).drawIndex);
    expect(plan).not.toMatch(/SCAN (gs|genre_songs)\b(?! USING)/);
    expect(plan).not.toMatch(/table=gs type=(ALL|index)\b/);
  });

  it('when a membership is removed mid-walk, then readers still get min(k, N) distinct songs and numbering stays dense', async () => {
    const { genreId } = await makeGenre(t.db);
    const ids = await makeSongs(t.db, genreId, 20);
    const engine = service(11);
    const started = await engine.nextBatch(genreId, 20, { limit: 5 });
    for (const id of ids.slice(0, 6)) await createMemberships(t.db).remove(genreId, id);
    const next = await engine.nextBatch(genreId, await size(genreId), { limit: 10, cursor: decodeCursor(started.cursor) });
    expect(new Set(next.songs.map((s) => s.id)).size).toBe(10);
    expect(await checkGenres(t.db)).toEqual([]);
  });
});

describe('drawing a genre by its slugs', () => {
  /** Counts the statements `db` runs while `work` does. */
  async function countQueries<T>(work: () => Promise<T>): Promise<{ result: T; queries: number }> {
    let queries = 0;
    const onQuery = () => queries++;
    t.db.on('query', onQuery);
    try {
      return { result: await work(), queries };
    } finally {
      t.db.off('query', onQuery);
    }
  }

  it('when neither the genre nor the catalog changed since the last draw, then a playlist costs one statement', async () => {
    const genre = await makeGenre(t.db);
    await makeSongs(t.db, genre.genreId, 60);
    const engine = service(3);
    const first = await countQueries(() => engine.drawGenre(genre.drugSlug, genre.moodSlug, { limit: 30 }));
    expect(first.queries).toBe(3); // the first draw in this process also loads the catalog version and genres
    const second = await countQueries(() => engine.drawGenre(genre.drugSlug, genre.moodSlug, { limit: 30 }));
    expect(second.queries).toBe(1);
    expect(second.result?.genre.mood.songCount).toBe(60);
    expect(new Set(second.result?.batch.songs.map((s) => s.id)).size).toBe(30);
    const { cursor } = second.result!.batch;
    const next = await countQueries(() => engine.drawGenre(genre.drugSlug, genre.moodSlug, { limit: 30, cursor: decodeCursor(cursor) }));
    expect(next.queries).toBe(1);
  });

  it('when many listeners draw one genre at once, then they share one statement and each gets a mix of its own', async () => {
    const genre = await makeGenre(t.db);
    await makeSongs(t.db, genre.genreId, 200);
    const engine = service(9);
    await engine.drawGenre(genre.drugSlug, genre.moodSlug, { limit: 30 }); // learn N and the genres
    const together = await countQueries(() => Promise.all(Array.from({ length: 20 }, () => engine.drawGenre(genre.drugSlug, genre.moodSlug, { limit: 5 }))));
    expect(together.queries).toBe(1);
    for (const drawn of together.result) expect(new Set(drawn!.batch.songs.map((s) => s.id)).size).toBe(5);
    expect(new Set(together.result.map((d) => d!.batch.dose)).size).toBe(20);
    // A crowd is split into statements of at most 165 numbers: 50 × 33 numbers (30 and 3 drawn ahead) → 10 statements.
    const crowd = await countQueries(() => Promise.all(Array.from({ length: 50 }, () => engine.drawGenre(genre.drugSlug, genre.moodSlug, { limit: 30 }))));
    expect(crowd.queries).toBe(10);
    expect(crowd.result.every((d) => d!.batch.songs.length === 30)).toBe(true);
  });

  it('when the shared statement fails, then every draw waiting on it fails with that error', async () => {
    const broken = await createDb(t.config);
    await broken.destroy();
    const draw = coalesceDraws((genreId, rowIds) => createPlaylistRepository(broken).draw(genreId, rowIds));
    const results = await Promise.allSettled([draw(1, [1, 2]), draw(1, [3]), draw(1, [4, 5])]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected', 'rejected']);
    expect(new Set(results.map((r) => String((r as PromiseRejectedResult).reason))).size).toBe(1);
  });

  it('when songs were added since the last draw, then the next draw is over the new N and can pick them', async () => {
    const genre = await makeGenre(t.db);
    await makeSongs(t.db, genre.genreId, 5);
    const engine = service(4);
    await engine.drawGenre(genre.drugSlug, genre.moodSlug, { limit: 30 });
    const added = await makeSongs(t.db, genre.genreId, 3);
    const drawn = await engine.drawGenre(genre.drugSlug, genre.moodSlug, { limit: 30 });
    expect(drawn?.genre.mood.songCount).toBe(8);
    expect(drawn?.batch.songs).toHaveLength(8);
    expect(drawn?.batch.songs.map((s) => s.id)).toEqual(expect.arrayContaining(added));
    expect(decodeCursor(drawn!.batch.cursor)?.size).toBe(8);
  });

  it('when songs were removed since the last draw, then the playlist still holds every remaining song once', async () => {
    const genre = await makeGenre(t.db);
    const ids = await makeSongs(t.db, genre.genreId, 12);
    const engine = service(5);
    await engine.drawGenre(genre.drugSlug, genre.moodSlug, { limit: 30 });
    for (const id of ids.slice(0, 8)) await createMemberships(t.db).remove(genre.genreId, id);
    const drawn = await engine.drawGenre(genre.drugSlug, genre.moodSlug, { limit: 30 });
    expect(drawn?.batch.songs.map((s) => s.id).sort((a, b) => a - b)).toEqual(ids.slice(8));
  });

  it('when an admin (in any process) hides, renames or adds a mood, then the very next draw knows it', async () => {
    const genre = await makeGenre(t.db);
    await makeSongs(t.db, genre.genreId, 4);
    const engine = service(6); // this process's genres are loaded by its first draw…
    expect(await engine.drawGenre(genre.drugSlug, 'no-such-mood', { limit: 30 })).toBeUndefined();
    expect(await engine.drawGenre(genre.drugSlug, genre.moodSlug, { limit: 30 })).toBeDefined();
    // …and the admin's writes go through another repository, as another process's would.
    const admin = createCatalogAdminRepository(t.db);
    await admin.updateMood(genre.drugId, genre.genreId, { name: 'Renamed', description: 'Now with a description' }, CLI_ACTOR);
    expect((await engine.drawGenre(genre.drugSlug, genre.moodSlug, { limit: 30 }))?.genre.mood).toMatchObject({ name: 'Renamed', songCount: 4 });
    const created = await admin.createMood(genre.drugId, { name: 'Brand new', description: '' }, CLI_ACTOR);
    expect((await engine.drawGenre(genre.drugSlug, created.slug, { limit: 30 }))?.genre.mood.id).toBe(created.id);
    await admin.setMoodHidden(genre.drugId, genre.genreId, true, CLI_ACTOR);
    expect(await engine.drawGenre(genre.drugSlug, genre.moodSlug, { limit: 30 })).toBeUndefined();
  });

  it('when a genre is empty, then the draw names the genre with no songs', async () => {
    const genre = await makeGenre(t.db);
    const engine = service(7);
    for (let i = 0; i < 2; i++) {
      const drawn = await engine.drawGenre(genre.drugSlug, genre.moodSlug, { limit: 30 });
      expect(drawn?.genre.mood.id).toBe(genre.genreId);
      expect(drawn?.batch.songs).toEqual([]);
    }
    const [added] = await makeSongs(t.db, genre.genreId, 1);
    expect((await engine.drawGenre(genre.drugSlug, genre.moodSlug, { limit: 30 }))?.batch.songs.map((s) => s.id)).toEqual([added]);
  });

  it('when a draw reads its numbers, N and the catalog version in one statement, then it still uses that index, and never reads songs', async () => {
    const genre = await makeGenre(t.db);
    await makeSongs(t.db, genre.genreId, 30);
    const { sql, bindings } = await onlyStatementOf(t.db, () => createPlaylistRepository(t.db).draw(genre.genreId, [3, 9, 27]));
    expect(sql).not.toMatch(/[`"]songs[`"]/);
    const plan = (await testDialectOf(t.db).explain(t.db, sql, bindings)).join('\n');
    expect(plan).toContain(dialectOf(t.db).drawIndex);
    expect(plan).not.toMatch(/SCAN (gs|genre_songs|s|songs)\b(?! USING)/);
    expect(plan).not.toMatch(/table=(gs|s) type=(ALL|index)\b/);
  });

  it('when a listener draws, then the same statement looks their hidden songs up by its primary key', async () => {
    const genre = await makeGenre(t.db);
    await makeSongs(t.db, genre.genreId, 30);
    const { sql, bindings } = await onlyStatementOf(t.db, () => createPlaylistRepository(t.db).draw(genre.genreId, [3, 9, 27], 12345));
    const plan = (await testDialectOf(t.db).explain(t.db, sql, bindings)).join('\n');
    expect(plan).toContain(dialectOf(t.db).drawIndex);
    // SQLite names the key it made for the primary key; MySQL calls every primary key PRIMARY.
    expect(plan).toMatch(/sqlite_autoindex_hidden_songs|table=h type=eq_ref key=PRIMARY/);
    expect(plan).not.toMatch(/SCAN (gs|genre_songs|s|songs|h|hidden_songs)\b(?! USING)/);
    expect(plan).not.toMatch(/table=(gs|s|h) type=(ALL|index)\b/);
  });
});
