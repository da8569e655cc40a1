// What the player tells the server beyond plays, through the real server into its SQLite file:
// pressing Next early is a skip (an early skip of that song in its genre, not a play), a track that
// cannot load is a failure, and a logged-in listener finds what they played in /me/history.
import type { Response } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createDb, type Db } from '../../src/db/knex.js';
import { useBrowser } from './browser.js';
import { HistoryPage, PlayerPage, registerListener } from './pages.js';

const baseUrl = inject('baseUrl');
const session = useBrowser();
const pathOf = (url: string) => new URL(url).pathname;

let db: Db;
beforeAll(async () => {
  db = await createDb({ client: 'sqlite', filename: inject('databaseFile') });
});
afterAll(async () => {
  await db?.destroy();
});

const groovinId = async () =>
  Number((await db('moods').join('drugs', 'drugs.id', 'moods.drug_id').where({ 'drugs.slug': 'weed', 'moods.slug': 'groovin' }).first('moods.id')).id);
// Counts are summed over the days the server counted them on: its clock picks the day, and a run
// may cross midnight UTC. Each test compares them before and after.
/** A song's signals in Weed · Groovin' (zeroes before the first). */
async function signalsOf(songId: number): Promise<{ early: number; late: number; failures: number }> {
  const row = await db('song_daily_signals')
    .where({ genre_id: await groovinId(), song_id: songId })
    .sum({ early: 'early_skips', late: 'late_skips', failures: 'failures' })
    .first();
  return { early: Number(row?.early ?? 0), late: Number(row?.late ?? 0), failures: Number(row?.failures ?? 0) };
}
const songsPlayed = async () => Number((await db('daily_stats').sum({ played: 'songs_played' }).first())?.played ?? 0);

/** Every answered POST /api/plays of the page, with the body it sent. */
function recordReports(): { body: Record<string, unknown>; status: number }[] {
  const reports: { body: Record<string, unknown>; status: number }[] = [];
  session.page.on('response', (res: Response) => {
    if (pathOf(res.url()) === '/api/plays') reports.push({ body: res.request().postDataJSON(), status: res.status() });
  });
  return reports;
}

describe('skips and failures from the player', () => {
  it('when Next is pressed a second into a track, then a skip with its seconds is reported and stored as an early skip, not a play', async () => {
    const reports = recordReports();
    const player = await new PlayerPage(session.page, baseUrl).open('weed', 'groovin');
    const { songs } = await player.playlistData();
    const [first, second] = [songs[0]!, songs[1]!];
    const before = { first: await signalsOf(first.id), played: await songsPlayed() };

    await player.play();
    await player.waitForPlaybackPast(1.1);
    await player.next();
    await player.waitForCurrent(1);
    await player.waitForPlaybackPast(0.2);

    await expect.poll(() => reports.length).toBe(3);
    expect(reports).toEqual([
      { body: { songId: first.id, genre: 'weed/groovin', first: true }, status: 204 },
      { body: { songId: first.id, genre: 'weed/groovin', kind: 'skip', seconds: expect.any(Number) }, status: 204 },
      { body: { songId: second.id, genre: 'weed/groovin' }, status: 204 },
    ]);
    const seconds = reports[1]!.body.seconds as number;
    expect(seconds).toBeGreaterThanOrEqual(1);
    expect(seconds).toBeLessThan(30);
    expect(await signalsOf(first.id)).toEqual({ ...before.first, early: before.first.early + 1 });
    // Two plays were counted, the skip was not.
    expect(await songsPlayed()).toBe(before.played + 2);
  });

  it('when a track cannot be loaded, then a failure is reported and stored for it, and moving on from it is no skip', async () => {
    const reports = recordReports();
    const player = await new PlayerPage(session.page, baseUrl).open('weed', 'groovin');
    const { songs } = await player.playlistData();
    const broken = songs[1]!;
    await session.page.route('**/media/demo/**', async (route) => {
      if (pathOf(route.request().url()) === broken.url) await route.fulfill({ status: 404, contentType: 'application/json', body: '{}' });
      else await route.continue();
    });
    const before = await signalsOf(broken.id);

    await player.play();
    await player.waitForPlaybackPast(0.2);
    await player.next();
    await player.waitForCurrent(2);
    await player.waitForPlaybackPast(0.2);

    await expect.poll(() => reports.filter((r) => r.body.songId === songs[2]!.id).length).toBe(1);
    expect(reports.filter((r) => r.body.songId === broken.id)).toEqual([{ body: { songId: broken.id, genre: 'weed/groovin', kind: 'failure' }, status: 204 }]);
    expect(await signalsOf(broken.id)).toEqual({ ...before, failures: before.failures + 1 });
  });
});

describe('listening history in a browser', () => {
  it('when a logged-in listener plays a song, then History in the header lists it first with its time and genre', async () => {
    const reports = recordReports();
    await registerListener(session.page, baseUrl);
    const player = await new PlayerPage(session.page, baseUrl).open('weed', 'groovin');
    const { songs } = await player.playlistData();
    await player.play();
    await player.waitForPlaybackPast(0.3);
    await expect.poll(() => reports.map((r) => r.status)).toEqual([204]);

    // History is in the account menu; the music plays on while the listener goes there.
    await session.page.locator('.account-menu summary').click();
    await Promise.all([session.page.waitForURL(/\/me\/history$/), session.page.getByRole('link', { name: 'History' }).click()]);
    const history = new HistoryPage(session.page, baseUrl);
    expect(await history.rows.count()).toBe(1);
    const entry = await history.entry(0);
    expect(entry).toEqual({ title: songs[0]!.title, playedAt: expect.any(String), genre: "Weed · Groovin'", genreHref: '/playlist/weed/groovin' });
    expect(Math.abs(Date.parse(entry.playedAt!) - Date.now())).toBeLessThan(120_000);
    expect(await player.paused()).toBe(false);
    // A click on it plays it through the one player, as a list of its own.
    await history.rows.nth(0).locator('.track-title').click();
    await expect.poll(() => player.mini.locator('[data-mini-source]').textContent()).toBe('Playing from: Your history');
    await expect.poll(() => history.rows.nth(0).getAttribute('aria-current')).toBe('true');
    expect(await player.src()).toContain(songs[0]!.url);
    expect(await session.page.locator('audio[data-audio]').count()).toBe(1);
  });
});
