import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { demoDrugs, seedDemoCatalog } from '../../seeds/demo-catalog.js';
import { checkGenres } from '../../src/playlists/check.js';
import { createTestApp } from '../helpers/app.js';
import { useTestDb } from '../helpers/db.js';

const t = useTestDb();

describe('demo catalog', () => {
  it('when seeded twice, then the second run adds nothing and every genre holds at least 40 songs', async () => {
    const first = await seedDemoCatalog(t.db);
    const counts = await t.db('genre_counts').select('song_count');
    const songs = Number((await t.db('songs').count({ n: '*' }).first())!.n);
    const second = await seedDemoCatalog(t.db);
    expect(second.memberships).toBe(0);
    expect(Number((await t.db('songs').count({ n: '*' }).first())!.n)).toBe(songs);
    expect(first.memberships).toBeGreaterThan(0);
    expect(counts).toHaveLength(12);
    expect(counts.every((c) => Number(c.song_count) >= 40)).toBe(true);
    expect(await checkGenres(t.db)).toEqual([]);
  });

  it('when seeded, then the original site’s drugs and moods are there under their slugs', async () => {
    await seedDemoCatalog(t.db);
    const slugs = await t.db('moods as m').join('drugs as d', 'd.id', 'm.drug_id').select('d.slug as d', 'm.slug as m');
    expect(slugs.map((r) => `${r.d}/${r.m}`).sort()).toEqual(demoDrugs.flatMap((d) => d.moods.map((m) => `${d.slug}/${m.slug}`)).sort());
    expect(slugs.map((r) => `${r.d}/${r.m}`)).toEqual(expect.arrayContaining(['weed/groovin', 'weed/thug-life', 'lsd/rockstar']));
  });

  it('when a demo playlist is drawn, then every song url answers with audio', async () => {
    await seedDemoCatalog(t.db);
    const app = createTestApp(t.db);
    const { body } = await request(app).get('/api/playlists/weed/groovin').expect(200);
    expect(body.songs).toHaveLength(30);
    for (const song of body.songs.slice(0, 5)) {
      const audio = await request(app).get(song.url).set('Range', 'bytes=0-43').expect(206);
      expect(audio.headers['content-type']).toBe('audio/wav');
      expect(audio.body.subarray(0, 4).toString()).toBe('RIFF');
    }
  });
});
