// What an analysis writes of a song reaches its draws: memberships carry copies of what a draw
// returns (draws read genre_songs alone), and the analysis's write keeps them in step.
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { createAudioRepository } from '../../src/audio/audio.repository.js';
import { checkGenres } from '../../src/playlists/check.js';
import { createTestApp } from '../helpers/app.js';
import { useTestDb } from '../helpers/db.js';
import { makeGenre, makeSongs } from '../helpers/factories.js';

const t = useTestDb();

describe('an analysed song in a draw', () => {
  it("when a held song's loudness, copy and cover are written, then the playlist API's draw carries its gain, stream and artwork, and db:check finds the copies exact", async () => {
    const genre = await makeGenre(t.db);
    const [id] = await makeSongs(t.db, genre.genreId, 1);
    const url = '/media/uploads/held-song.wav';
    await t.db('songs').where('id', id!).update({ url });
    await t.db('genre_songs').where('song_id', id!).update({ url });
    const written = await createAudioRepository(t.db).write(id!, url, {
      loudness: { lufs: -20, truePeakDb: -9 },
      streamUrl: '/media/uploads/held-song.m4a',
      cover: 'abcdef0123456789.png',
    });
    expect(written).toBe(true);

    const drawn = (await request(createTestApp(t.db)).get(`/api/playlists/${genre.drugSlug}/${genre.moodSlug}`).expect(200)).body.songs[0];
    expect(drawn.id).toBe(id);
    expect(drawn.gainDb).toBeCloseTo(6, 5);
    expect(drawn.artwork).toContain('abcdef0123456789');
    expect(await checkGenres(t.db)).toEqual([]);
  });
});
