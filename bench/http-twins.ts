// The load test's two twins of the app (see bench/http.bench.ts): bare Express apps that answer the
// app's playlist API and player page URLs with the same bodies, so what the app costs beyond them
// can be measured.
//   - the memory twin: one fixed answer, drawn once (the Node ceiling: no database at all);
//   - the floor twin: its own mysql2 pool and, per request, 30 distinct random numbers in 1..N and
//     one prepared statement for their songs — the least any implementation of a draw must do.
// Both render the app's own `player` view with the locals playerPageLocals() builds.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type Request } from 'express';
import mysql, { type RowDataPacket } from 'mysql2/promise';
import { toSong } from '../src/catalog/catalog.repository.js';
import type { Song } from '../src/catalog/catalog.types.js';
import { type Genre, genreApiPath, genrePath } from '../src/catalog/genre.js';
import { harmReductionFor } from '../src/catalog/harm-reduction.js';
import type { DatabaseConfig } from '../src/config.js';
import { mysqlConnection } from '../src/db/knex.js';
import { embedPathOf, type Embeddable, iframeSnippet, pagePathOf } from '../src/embed/embeddable.js';
import type { PublicUrl } from '../src/http/public-url.js';
import { scriptJson } from '../src/http/script-json.js';
import { createAssets } from '../src/http/assets.js';
import { useEjsViews } from '../src/http/views.js';
import { publicDir } from '../src/paths.js';
import type { PlaylistBatch } from '../src/playlists/playlist.service.js';
import { apiAnswer, playerLocals } from '../src/presenters/player-page.presenter.js';
import { createTrackListPresenter } from '../src/presenters/track-list.presenter.js';

export interface Twin {
  server: http.Server;
  port: number;
  close(): Promise<void>;
}

/** How many connections are in use and how many requests wait for one (the bench samples it). */
export interface PoolGauge {
  numUsed(): number;
  numPendingAcquires(): number;
}

export { genreApiPath as apiPath, genrePath as pagePath };

// An anonymous visitor's track list never asks for hearts or playlists; the presenter is the app's.
const anonymousTrackList = createTrackListPresenter({
  lovedAmong: async () => new Set(),
  playlistMenu: async () => [],
  asset: createAssets(publicDir, { rehash: false }).url,
});

/**
 * Every local the app's player page renders with for an anonymous visitor of `/playlist/<drug>/<mood>`
 * (their radio, freshly tuned in): what src/app.ts's middleware sets (flash, csrf, user, scriptJson,
 * harmReduction, path, and embedDiscovery's embed), then the route's own, from the route's code.
 */
export async function playerPageLocals(req: Request, genre: Genre, batch: PlaylistBatch, publicUrl: PublicUrl): Promise<Record<string, unknown>> {
  const target: Embeddable = { kind: 'genre', drug: genre.drug.slug, mood: genre.mood.slug };
  const pageUrl = publicUrl(req, pagePathOf(target));
  return {
    user: undefined,
    flash: [],
    // The app's csrf() makes a session token; an anonymous visitor's page never calls it.
    csrf: () => '',
    scriptJson,
    harmReduction: harmReductionFor,
    path: req.path,
    embed: {
      oembedUrl: publicUrl(req, `/oembed?url=${encodeURIComponent(pageUrl)}&format=json`),
      snippet: (title: string) => iframeSnippet(publicUrl(req, embedPathOf(target)), title),
    },
    ...(await playerLocals(req, { genre, batch }, { radio: true, fresh: false }, { trackList: anonymousTrackList, publicUrl })),
  };
}

function bareApp(): express.Express {
  const app = express();
  useEjsViews(app); // the app's own view setup (view cache from NODE_ENV, as the app's)
  app.disable('x-powered-by');
  return app;
}

async function listen(app: express.Express, onClose: () => Promise<void> = async () => {}): Promise<Twin> {
  const server = http.createServer(app);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  return {
    server,
    port: (server.address() as AddressInfo).port,
    async close() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
      await onClose();
    },
  };
}

/** The memory twin: the one draw's answer, serialized (API) or rendered (page) on every request. */
export function startMemoryTwin({ genre, batch, publicUrl }: { genre: Genre; batch: PlaylistBatch; publicUrl: PublicUrl }): Promise<Twin> {
  const app = bareApp();
  const body = apiAnswer({ genre, batch });
  app.get(genreApiPath(genre), (_req, res) => {
    res.json(body);
  });
  app.get(genrePath(genre), async (req, res) => {
    res.render('player', await playerPageLocals(req, genre, batch, publicUrl));
  });
  return listen(app);
}

const DRAW_SQL = (k: number) =>
  'SELECT gs.row_id_per_genre, s.id, s.title, s.artist, s.album, s.year, s.url, s.duration_seconds, s.favorite_count ' +
  'FROM genre_songs gs JOIN songs s ON s.id = gs.song_id ' +
  `WHERE gs.genre_id = ? AND gs.row_id_per_genre IN (${Array.from({ length: k }, () => '?').join(',')})`;

/**
 * The floor twin: its own pool of `connections`, the genre's N read once, and per request one
 * server-side prepared statement (pool.execute) for the songs at k distinct random numbers. The
 * cursor and dose are the one draw's (fixed strings: no walk).
 */
export async function startFloorTwin({
  database,
  connections,
  genre,
  batch,
  publicUrl,
}: {
  database: Extract<DatabaseConfig, { client: 'mysql' }>;
  connections: number;
  genre: Genre;
  batch: PlaylistBatch;
  publicUrl: PublicUrl;
}): Promise<Twin & { pool: PoolGauge }> {
  // The app's own connection options (UTC, utf8mb4), with a pool of its own.
  const pool = mysql.createPool({ ...mysqlConnection(database.url), database: database.database, connectionLimit: connections });
  try {
    const k = batch.songs.length;
    const [counts] = await pool.execute<RowDataPacket[]>('SELECT song_count FROM genre_counts WHERE genre_id = ?', [genre.mood.id]);
    const n = Number(counts[0]?.song_count ?? 0);
    if (n < k) throw new Error(`the floor twin's genre has ${n} songs, fewer than ${k}`);
    const sql = DRAW_SQL(k);
    // Each statement holds one connection from start to end: in flight beyond the limit = waiting.
    let inFlight = 0;
    const draw = async (): Promise<Song[]> => {
      const numbers = new Set<number>();
      while (numbers.size < k) numbers.add(1 + Math.floor(Math.random() * n));
      inFlight++;
      try {
        const [rows] = await pool.execute<RowDataPacket[]>(sql, [genre.mood.id, ...numbers]);
        return rows.map(toSong);
      } finally {
        inFlight--;
      }
    };

    const app = bareApp();
    app.get(genreApiPath(genre), async (_req, res) => {
      res.json(apiAnswer({ genre, batch: { ...batch, songs: await draw() } }));
    });
    app.get(genrePath(genre), async (req, res) => {
      res.render('player', await playerPageLocals(req, genre, { ...batch, songs: await draw() }, publicUrl));
    });
    const twin = await listen(app, () => pool.end());
    return {
      ...twin,
      pool: { numUsed: () => Math.min(inFlight, connections), numPendingAcquires: () => Math.max(0, inFlight - connections) },
    };
  } catch (err) {
    await pool.end();
    throw err;
  }
}
