import request from 'supertest';
import type { Express } from 'express';
import { describe, expect, it } from 'vitest';
import { writeTransaction } from '../../src/db/transaction.js';
import { applyMembershipChanges } from '../../src/playlists/membership.js';
import { createPlaysRepository, type Signal } from '../../src/plays/plays.repository.js';
import { adminAgent } from '../helpers/admin.js';
import { createTestApp } from '../helpers/app.js';
import { useTestDb } from '../helpers/db.js';
import { testDialectOf } from '../helpers/dialect.js';
import { makeGenre, makeSongs, type TestGenre } from '../helpers/factories.js';
import { registerAs } from '../helpers/session.js';
import { statementsOf } from '../helpers/statements.js';

const t = useTestDb();

const daysAgo = (n: number) => new Date(Date.now() - n * 86_400_000);
/** `times` reports of one signal about a song in a genre, `ago` days back. */
async function signal(songId: number, genre: TestGenre, kind: Signal, times: number, ago = 0): Promise<void> {
  const plays = createPlaysRepository(t.db);
  for (let i = 0; i < times; i++) await plays.signal(songId, genre.genreId, kind, daysAgo(ago));
}

interface ListedRow {
  songId: number;
  counts: Record<string, number>;
}

/** Per genre section of the page: its heading and, per list, its rows in order with their counts. */
function sections(html: string): { heading: string; wrongMood: ListedRow[]; broken: ListedRow[] }[] {
  return html
    .split('<section class="signals-genre"')
    .slice(1)
    .map((part) => {
      const list = (name: string) => {
        const start = part.indexOf(`data-list="${name}"`);
        if (start < 0) return [];
        const table = part.slice(start, part.indexOf('</table>', start));
        return [...table.matchAll(/<tr data-song-id="(\d+)">(.*?)<\/tr>/gs)].map(([, id, cells]) => ({
          songId: Number(id),
          counts: Object.fromEntries([...cells!.matchAll(/data-count="([a-z-]+)">([\d,]+)</g)].map(([, k, v]) => [k, Number(v!.replace(/,/g, ''))])),
        }));
      };
      return { heading: /<h2 [^>]*>([^<]*)<\/h2>/.exec(part)![1]!, wrongMood: list('wrong-mood'), broken: list('broken') };
    });
}

const page = async (app: Express, query = '') => (await (await adminAgent(app, t.db)).agent.get(`/admin/signals${query}`).expect(200)).text;

describe('admin signals', () => {
  it('when songs are skipped early, hidden or fail to load, then each genre lists them worst first with their counts for the period', async () => {
    const genre = await makeGenre(t.db);
    const second = await makeGenre(t.db, { drug: genre.drugSlug });
    const [skipped, hidden, lateOnly, broken, both] = await makeSongs(t.db, genre.genreId, 5);
    const [elsewhere] = await makeSongs(t.db, second.genreId, 1);
    await signal(skipped!, genre, 'early_skips', 3);
    await signal(skipped!, genre, 'late_skips', 1);
    await signal(hidden!, genre, 'hides', 2);
    await signal(both!, genre, 'early_skips', 1);
    await signal(both!, genre, 'hides', 1, 10);
    await signal(both!, genre, 'failures', 1, 3);
    await signal(lateOnly!, genre, 'late_skips', 9);
    await signal(broken!, genre, 'failures', 4);
    await signal(elsewhere!, second, 'failures', 1);
    // Outside the default 30 days, inside 90.
    await signal(lateOnly!, genre, 'early_skips', 10, 40);
    await signal(broken!, genre, 'early_skips', 1, 89);
    await signal(broken!, genre, 'early_skips', 50, 95);
    const app = createTestApp(t.db);

    const html = await page(app);
    expect(html).toContain('Probably in the wrong mood');
    expect(html).toContain('Broken link?');
    expect(sections(html)).toEqual([
      {
        heading: `Drug ${genre.drugSlug} · Mood ${genre.moodSlug}`,
        // Skips in the first 30 s plus hides, worst first; ties by song id (hidden was added before both).
        wrongMood: [
          { songId: skipped, counts: { 'early-skips': 3, hides: 0, 'late-skips': 1 } },
          { songId: hidden, counts: { 'early-skips': 0, hides: 2, 'late-skips': 0 } },
          { songId: both, counts: { 'early-skips': 1, hides: 1, 'late-skips': 0 } },
        ],
        broken: [
          { songId: broken, counts: { failures: 4 } },
          { songId: both, counts: { failures: 1 } },
        ],
      },
      { heading: `Drug ${second.drugSlug} · Mood ${second.moodSlug}`, wrongMood: [], broken: [{ songId: elsewhere, counts: { failures: 1 } }] },
    ]);
    expect(html).toContain(`<a href="/admin/songs/${skipped}/edit">Edit`);
    expect(html).toContain(`<a href="/admin/songs/${broken}/delete">Remove`);

    // The last 7 days leave out the hide of ten days ago.
    const lastWeek = sections(await page(app, '?days=7'))[0]!;
    expect(lastWeek.wrongMood.map((r) => [r.songId, r.counts])).toEqual([
      [skipped, { 'early-skips': 3, hides: 0, 'late-skips': 1 }],
      [hidden, { 'early-skips': 0, hides: 2, 'late-skips': 0 }],
      [both, { 'early-skips': 1, hides: 0, 'late-skips': 0 }],
    ]);

    // The last 90 days take in the early skips of 40 and 89 days ago, not those of 95.
    const quarter = sections(await page(app, '?days=90'))[0]!;
    expect(quarter.wrongMood.map((r) => [r.songId, r.counts['early-skips']])).toEqual([
      [lateOnly, 10],
      [skipped, 3],
      [hidden, 0],
      [both, 1],
      [broken, 1],
    ]);
  });

  it('when a genre has more than ten songs with signals, then it lists its ten worst; a song moved out of the genre drops off', async () => {
    const genre = await makeGenre(t.db);
    const songs = await makeSongs(t.db, genre.genreId, 12);
    for (const [i, songId] of songs.entries()) await signal(songId, genre, 'early_skips', i + 1);
    await writeTransaction(t.db, (trx) => applyMembershipChanges(trx, { remove: [[genre.genreId, songs[11]!]] }));
    const [listed] = sections(await page(createTestApp(t.db)));
    expect(listed!.wrongMood.map((r) => r.songId)).toEqual(songs.slice(1, 11).reverse());
  });

  it('when nothing was reported, then the page says so and offers the three periods', async () => {
    const html = await page(createTestApp(t.db), '?days=90');
    expect(html).toContain('No skips, hides or failures in the last 90 days.');
    expect(html).toContain('<a href="/admin/signals?days=90" aria-current=page>Last 90 days</a>');
    expect(html).toContain('<a href="/admin/signals" aria-current=page>Signals</a>');
  });

  it.each(['?days=15', '?days=abc', '?days=7&days=30'])('when the period is %s, then 400 names days', async (query) => {
    const { agent } = await adminAgent(createTestApp(t.db), t.db);
    const res = await agent.get(`/admin/signals${query}`).set('Accept', 'application/json').expect(400);
    expect(res.body.error.code).toBe('validation_failed');
    expect(Object.keys(res.body.error.fields)).toEqual(['days']);
    const html = await agent.get(`/admin/signals${query}`).expect(400);
    expect(html.text).toContain('<strong>days</strong>');
  });

  it('when a listener or a visitor opens /admin/signals, then the listener gets 403 and the visitor is sent to log in', async () => {
    const app = createTestApp(t.db);
    const { agent } = await registerAs(app);
    expect((await agent.get('/admin/signals')).status).toBe(403);
    const anonymous = await request(app).get('/admin/signals');
    expect(anonymous.status).toBe(303);
    expect(anonymous.headers.location).toBe('/login?next=%2Fadmin%2Fsignals');
  });
});

describe('admin signals query plan', () => {
  it('when the lists are read, then they take a range of song_daily_signals_pkey by day, never the whole table', async () => {
    const genre = await makeGenre(t.db);
    const songs = await makeSongs(t.db, genre.genreId, 10);
    // A year of rollups, of which the period reads a month.
    const rows = Array.from({ length: 365 }, (_, ago) =>
      songs.map((songId, i) => ({ day: daysAgo(ago).toISOString().slice(0, 10), genre_id: genre.genreId, song_id: songId, early_skips: i, failures: ago % 3 })),
    ).flat();
    await t.db.batchInsert('song_daily_signals', rows, 250);
    await testDialectOf(t.db).analyze(t.db, ['song_daily_signals', 'genre_songs', 'songs']);

    const statements = await statementsOf(t.db, async () => {
      const html = await page(createTestApp(t.db));
      expect(sections(html)[0]!.wrongMood).toHaveLength(9);
    });
    const reads = statements.filter((s) => s.sql.includes('song_daily_signals'));
    expect(reads).toHaveLength(2); // wrong mood, broken
    for (const { sql, bindings } of reads) {
      const plan = (await testDialectOf(t.db).explain(t.db, sql, bindings)).join('\n');
      expect(plan).toMatch(/SEARCH x USING INDEX sqlite_autoindex_song_daily_signals_1 \(day>\? AND day<\?\)|table=x type=range key=PRIMARY/);
      expect(plan).not.toMatch(/SCAN x\b(?! USING)/);
      expect(plan).not.toMatch(/table=x type=(ALL|index)\b/);
    }
  });
});
