// The walk while the catalog changes under it, on a real database: songs join and leave between
// a listener's batches, and what the README promises about a walk in progress is checked step by
// step. Batches of one song, so each song is known to come from the walk its cursor names.
import { describe, expect, it } from 'vitest';
import { decodeCursor, type WalkCursor } from '../../src/playlists/cursor.js';
import { createPlaylistRepository } from '../../src/playlists/playlist.repository.js';
import { createPlaylistService } from '../../src/playlists/playlist.service.js';
import { useTestDb } from '../helpers/db.js';
import { makeGenre, makeSongs, seededRandom, createMemberships } from '../helpers/factories.js';

const t = useTestDb();

interface Walk {
  dose: string;
  heard: number[];
  /** Songs a removal moved into the removed song's number while this walk ran. */
  moved: Set<number>;
}

describe('a walk while songs join and leave the genre', () => {
  it.each([1, 2, 3])(
    'when the genre is edited between batches (run %i), then removed songs never play, newcomers and every other song play once per walk',
    async (run) => {
      const { genreId } = await makeGenre(t.db);
      const members = new Set(await makeSongs(t.db, genreId, 25));
      const memberships = createMemberships(t.db);
      const repository = createPlaylistRepository(t.db);
      const engine = createPlaylistService({ repository, random: seededRandom(100 + run) });
      const edits = seededRandom(200 + run);

      const walks: Walk[] = [];
      const membersAtEnd: Set<number>[] = [];
      let cursor: WalkCursor | undefined;
      let current: Walk | undefined;
      for (let batch = 0; batch < 140; batch++) {
        const edit = edits();
        if (edit < 0.25) {
          for (const id of await makeSongs(t.db, genreId, 1)) members.add(id);
        } else if (edit < 0.4 && members.size > 10) {
          const gone = [...members][Math.floor(edits() * members.size)]!;
          // The genre's last member takes the removed song's number: the one song a removal moves.
          const last = await t.db('genre_songs').where('genre_id', genreId).orderBy('row_id_per_genre', 'desc').first('song_id');
          if (Number(last.song_id) !== gone) current?.moved.add(Number(last.song_id));
          expect(await memberships.remove(genreId, gone)).toBe(true);
          members.delete(gone);
        }

        const drawn = await engine.nextBatch(genreId, await repository.genreSize(genreId), { limit: 1, cursor });
        cursor = decodeCursor(drawn.cursor)!;
        expect(drawn.songs).toHaveLength(1);
        const song = drawn.songs[0]!.id;
        expect(members.has(song)).toBe(true); // a removed song is passed over
        if (current?.dose !== cursor.dose) {
          if (current) membersAtEnd.push(new Set(members)); // the walk ended with this batch's edit in it
          current = { dose: cursor.dose, heard: [], moved: new Set() };
          walks.push(current);
        }
        current.heard.push(song);
      }

      expect(walks.length).toBeGreaterThanOrEqual(3);
      walks.forEach((walk, w) => {
        // A song plays twice in one walk only when a removal moved it to a number not yet walked.
        const repeated = walk.heard.filter((id, i) => walk.heard.indexOf(id) !== i);
        for (const id of repeated) expect(walk.moved.has(id)).toBe(true);
        const ended = membersAtEnd[w];
        if (!ended) return; // the walk still running when the test stops
        // Every song in the genre when the walk ended played in it — those there from the start and
        // those that joined on the way — except one a removal moved to a number already walked.
        const heard = new Set(walk.heard);
        for (const id of ended) if (!walk.moved.has(id)) expect(heard.has(id)).toBe(true);
      });
    },
  );
});
