// MySQL 8's default auto-increment lock mode ("interleaved") may give one multi-row INSERT ids
// that are not consecutive, so there the importer must look its new songs' ids up by url. A
// private mariadbd started in that mode shows it does, while other writers insert at the same time.
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDatabaseUrl } from '../../src/config.js';
import { dialectOf } from '../../src/db/dialect.js';
import { createDb, type Db } from '../../src/db/knex.js';
import { migrateLatest } from '../../src/db/migrate.js';
import { createImportRepository } from '../../src/import/import.repository.js';
import { runImport } from '../../src/import/import.service.js';
import { csvRows } from '../../src/import/import.sources.js';
import { checkGenres } from '../../src/playlists/check.js';
import { usingMysql } from '../helpers/db.js';
import { makeGenre, insertSong } from '../helpers/factories.js';
import { startPrivateMariadb, type PrivateMariadb } from '../helpers/mariadb.js';

describe.skipIf(!usingMysql())('bulk import with interleaved auto-increment ids (private mariadbd)', () => {
  let server: PrivateMariadb | undefined;
  let db: Db | undefined;

  beforeAll(async () => {
    server = await startPrivateMariadb({ args: ['--innodb-autoinc-lock-mode=2'] });
    db = await createDb(parseDatabaseUrl(server.url('stereodose_interleaved'), ''), { poolMax: 6 });
    await migrateLatest(db);
  }, 60_000);

  afterAll(async () => {
    await db?.destroy();
    await server?.destroy();
  });

  it('when ids may interleave, then the dialect does not guess them and every membership still points at its line', async () => {
    const chill = await makeGenre(db!, { drug: 'weed', mood: 'chill' });
    const groovin = await makeGenre(db!, { drugId: chill.drugId, mood: 'groovin' });
    expect(await dialectOf(db!).insertedIdsReader(db!)).toBeUndefined();

    const moodOf = (i: number) => (i % 2 ? 'groovin' : 'chill');
    const file = (from: number) =>
      [
        'title,artist,url,drug,mood',
        ...Array.from({ length: 1500 }, (_, k) => `T${from + k},A,https://ids.test/${from + k}.mp3,weed,${moodOf(from + k)}`),
      ].join('\n');
    // Two imports and a stream of single inserts at once: their ids interleave if anything does.
    let stop = false;
    const singles = (async () => {
      for (let n = 0; !stop; n++) await insertSong(db!, { title: `Single ${n}`, artist: 'S', url: `https://single.test/${n}.mp3` });
    })();
    await Promise.all([0, 1500].map((from) => runImport(createImportRepository(db!), csvRows(Readable.from([file(from)])), { batchSize: 500 })));
    stop = true;
    await singles;

    const rows = await db!('genre_songs as gs').join('songs as s', 's.id', 'gs.song_id').select('gs.genre_id', 's.url', 's.title');
    expect(rows).toHaveLength(3000);
    for (const row of rows) {
      const i = Number(/\/(\d+)\.mp3$/.exec(String(row.url))![1]);
      expect(row.title).toBe(`T${i}`);
      expect(Number(row.genre_id)).toBe(moodOf(i) === 'groovin' ? groovin.genreId : chill.genreId);
    }
    expect(await checkGenres(db!)).toEqual([]);
  });
});
