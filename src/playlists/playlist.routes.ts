// The player page and the playlist API: both draw the next batch of a genre's walk. The page is
// the listener's radio (radios/): it continues where they left off unless the URL asks for a
// shared mix (?dose=), a list shared as it played (?songs=…&cursor=…), a walk in progress
// (?cursor=) or a fresh start (?fresh=1).
import { type NextFunction, type Request, type RequestHandler, type Response, Router } from 'express';
import { hasSessionCookie } from '../accounts/session.js';
import { toApiSong } from '../catalog/catalog.types.js';
import { NotFound } from '../lib/errors.js';
import type { PublicUrl } from '../http/public-url.js';
import { parse } from '../http/validate.js';
import { apiAnswer, playerLocals } from '../presenters/player-page.presenter.js';
import type { TrackListPresenter } from '../presenters/track-list.presenter.js';
import type { RadiosService, TunedIn } from '../radios/radios.service.js';
import { playlistQuery, savedSongsQuery } from './playlist.schemas.js';
import type { PlaylistService } from './playlist.service.js';

interface Deps {
  playlists: PlaylistService;
  playlistSize: number;
}

type GenreRequest = Request<{ drug: string; mood: string }>;
const noSuchGenre = (req: GenreRequest) => new NotFound(`There is no mood “${req.params.mood}” under “${req.params.drug}”.`);

/** The next batch of the genre the URL names, as ?limit, ?cursor and ?dose ask, without the songs a listener hid. */
async function draw({ playlists, playlistSize }: Deps, req: GenreRequest) {
  const query = parse(playlistQuery, req.query);
  const drawn = await playlists.drawGenre(req.params.drug, req.params.mood, {
    limit: query.limit ?? playlistSize,
    cursor: query.cursor,
    dose: query.dose,
    listener: req.user?.id,
  });
  if (!drawn) throw noSuchGenre(req);
  return drawn;
}

/** The player page: the listener's radio (or the mix, list or walk the URL names), with hearts and playlists. */
export function createPlayerPageRouter(deps: Deps & { radios: RadiosService; trackList: TrackListPresenter; publicUrl: PublicUrl }): Router {
  const router = Router();
  router.get('/playlist/:drug/:mood', async (req, res) => {
    const query = parse(playlistQuery, req.query);
    const isRadio = !query.dose && !query.cursor && !query.songs;
    let tuned: TunedIn | undefined;
    if (query.songs) tuned = await deps.playlists.listGenre(req.params.drug, req.params.mood, query.songs, { cursor: query.cursor, listener: req.user?.id });
    else if (isRadio)
      tuned = await deps.radios.tuneIn(req.user?.id, req.params.drug, req.params.mood, {
        limit: query.limit ?? deps.playlistSize,
        fresh: Boolean(query.fresh),
      });
    else tuned = await draw(deps, req);
    if (!tuned) throw noSuchGenre(req);
    res.render('player', await playerLocals(req, tuned, { radio: isRadio, dose: query.dose, fresh: Boolean(query.fresh) }, deps));
  });
  return router;
}

/**
 * The playlist API, one router for every browser. A draw answers every visitor alike, so the app
 * mounts this before the session, body parsers and CSRF (app.ts), and a browser without a session
 * cookie, the player's busiest request, passes none of them. A browser with one is read first
 * (`readSession`): a listener's batches pass over the songs they hid, and a radio's place is
 * remembered (`radio=1`).
 */
export function createPlaylistApiRouter(deps: Deps & { radios: RadiosService; readSession: readonly RequestHandler[] }): Router {
  const router = Router();
  const listenerIfAny: RequestHandler = (req, res, next) => (hasSessionCookie(req) ? inOrder(deps.readSession, req, res, next) : next());
  // The songs a browser saved to play next, as they may still play: gone from the genre, or hidden
  // by the listener since, they are left out. The order is the one asked for.
  router.get('/api/playlists/:drug/:mood/songs', listenerIfAny, async (req: GenreRequest, res) => {
    const { ids } = parse(savedSongsQuery, req.query);
    const picked = await deps.playlists.pickGenre(req.params.drug, req.params.mood, ids, req.user?.id);
    if (!picked) throw noSuchGenre(req);
    res.json({ songs: picked.songs.map(toApiSong) });
  });
  router.get('/api/playlists/:drug/:mood', listenerIfAny, async (req: GenreRequest, res) => {
    const query = parse(playlistQuery, req.query);
    // Only a browser with a session continues a radio here (a visitor's browser keeps its own place).
    if (req.session === undefined || !query.radio || !query.cursor || query.dose) return res.json(apiAnswer(await draw(deps, req)));
    const drawn = await deps.radios.continue(req.user?.id, req.params.drug, req.params.mood, { limit: query.limit ?? deps.playlistSize, cursor: query.cursor });
    if (!drawn) throw noSuchGenre(req);
    res.json(apiAnswer(drawn));
  });
  return router;
}

/** Runs `handlers` one after the other, as app.use would, then `next`. */
function inOrder(handlers: readonly RequestHandler[], req: Request, res: Response, next: NextFunction): void {
  let i = 0;
  const step = (err?: unknown): void => {
    const handler = handlers[i++];
    if (err !== undefined || !handler) next(err);
    else handler(req, res, step);
  };
  step();
}
