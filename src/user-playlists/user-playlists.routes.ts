// Listeners' own playlists: HTML forms only, every change a POST with its CSRF token, answered by
// a redirect and a flash message (Post/Redirect/Get). Ownership is checked before the form is
// read, so someone else's playlist answers 403 and never shows its contents in a form error.
import { Router, type Request, type Response } from 'express';
import type { Db } from '../db/knex.js';
import { createFavoritesRepository } from '../favorites/favorites.repository.js';
import type { FormView } from '../http/errors.js';
import { NotFound } from '../http/errors.js';
import { flash } from '../http/flash.js';
import { requireUser, safeLocalPath } from '../http/guards.js';
import { parse, parseParams, renderForm } from '../http/validate.js';
import { createUserPlaylistsRepository, type PlaylistSong, type UserPlaylist } from './user-playlists.repository.js';
import * as forms from './user-playlists.schemas.js';
import { createUserPlaylistsService } from './user-playlists.service.js';

const MAX_SONGS = 500;
/** Pages that show a player, where each track offers "add to playlist". */
const MENU_PAGES = /^\/(?:playlist\/|favorites(?:\/|$)|my\/)/;

interface Deps {
  db: Db;
  random?: () => number;
}

type Params = Request;
const userId = (req: Params) => req.user!.id;
const pagePath = (id: number) => `/my/playlists/${id}`;
const sharePath = (p: UserPlaylist) => `/shared/playlists/${p.shareToken}`;

const fromUrl = <S extends typeof forms.playlistParams | typeof forms.songParams>(schema: S, req: Params) =>
  parseParams(schema, req.params, 'There is no such playlist.') as ReturnType<S['parse']>;

export function createUserPlaylistsRouter({ db, random }: Deps): Router {
  const repository = createUserPlaylistsRepository(db, { maxSongs: MAX_SONGS });
  const playlists = createUserPlaylistsService({ repository, random, maxSongs: MAX_SONGS });
  const favorites = createFavoritesRepository(db);
  const router = Router();

  const listView = async (req: Params): Promise<FormView> => ({
    view: 'user-playlists/index',
    locals: { title: 'Your playlists', playlists: await playlists.list(userId(req)) },
  });
  const showView = (req: Params, playlist: UserPlaylist, songs: PlaylistSong[]): FormView => ({
    view: 'user-playlists/show',
    locals: { title: playlist.name, playlist, songs, shareUrl: `${req.protocol}://${req.get('host')}${sharePath(playlist)}` },
  });
  const back = (req: Params, res: Response, fallback: string) => res.redirect(303, safeLocalPath(req.body?.returnTo) ?? fallback);

  // Loaded once per page (not per track) for the "add to playlist" menus of the player.
  router.use(async (req, res, next) => {
    if (req.method !== 'GET' || !req.user || !MENU_PAGES.test(req.path)) return next();
    res.locals.myPlaylists = await playlists.menu(req.user.id);
    res.locals.originalUrl = req.originalUrl;
    next();
  });

  router.get('/my/playlists', requireUser, async (req, res) => renderForm(res, await listView(req)));

  router.post('/my/playlists', requireUser, async (req, res) => {
    const form = parse(forms.nameForm, req.body, await listView(req));
    const playlist = await playlists.create(userId(req), form.name);
    flash(req, 'success', `Created “${playlist.name}”.`);
    res.redirect(303, pagePath(playlist.id));
  });

  // The player's menu: one form per track, the playlist chosen in a <select>.
  router.post('/my/playlists/add', requireUser, async (req, res) => {
    const form = parse(forms.addToPlaylistForm, req.body);
    const { playlist, song, changed } = await playlists.addSong(userId(req), form.playlistId, form.songId);
    flash(req, 'success', changed ? `Added “${song.title}” to “${playlist.name}”.` : `“${song.title}” is already in “${playlist.name}”.`);
    back(req, res, pagePath(playlist.id));
  });

  router.get('/my/playlists/:id', requireUser, async (req, res) => {
    const { playlist, songs } = await playlists.view(userId(req), fromUrl(forms.playlistParams, req).id);
    renderForm(res, showView(req, playlist, songs), { values: { name: playlist.name } });
  });

  router.post('/my/playlists/:id/rename', requireUser, async (req, res) => {
    const { playlist, songs } = await playlists.view(userId(req), fromUrl(forms.playlistParams, req).id);
    const form = parse(forms.nameForm, req.body, showView(req, playlist, songs));
    await playlists.rename(userId(req), playlist.id, form.name);
    flash(req, 'success', `Renamed to “${form.name}”.`);
    res.redirect(303, pagePath(playlist.id));
  });

  router.post('/my/playlists/:id/visibility', requireUser, async (req, res) => {
    const { id } = fromUrl(forms.playlistParams, req);
    await playlists.get(userId(req), id);
    const form = parse(forms.visibilityForm, req.body);
    const playlist = await playlists.setPublic(userId(req), id, form.public);
    flash(
      req,
      'success',
      playlist.isPublic ? `“${playlist.name}” is public: anyone with its link can listen.` : `“${playlist.name}” is private again; its link no longer plays.`,
    );
    res.redirect(303, pagePath(id));
  });

  router.get('/my/playlists/:id/delete', requireUser, async (req, res) => {
    const { playlist, songs } = await playlists.view(userId(req), fromUrl(forms.playlistParams, req).id);
    res.render('user-playlists/delete', { title: `Delete ${playlist.name}`, playlist, songCount: songs.length });
  });

  router.post('/my/playlists/:id/delete', requireUser, async (req, res) => {
    const playlist = await playlists.remove(userId(req), fromUrl(forms.playlistParams, req).id);
    flash(req, 'success', `Deleted “${playlist.name}”.`);
    res.redirect(303, '/my/playlists');
  });

  router.post('/my/playlists/:id/songs', requireUser, async (req, res) => {
    const { id } = fromUrl(forms.playlistParams, req);
    await playlists.get(userId(req), id);
    const form = parse(forms.addSongForm, req.body);
    const { playlist, song, changed } = await playlists.addSong(userId(req), id, form.songId);
    flash(req, 'success', changed ? `Added “${song.title}” to “${playlist.name}”.` : `“${song.title}” is already in “${playlist.name}”.`);
    back(req, res, pagePath(id));
  });

  router.post('/my/playlists/:id/songs/:songId/remove', requireUser, async (req, res) => {
    const { id, songId } = fromUrl(forms.songParams, req);
    const { song } = await playlists.removeSong(userId(req), id, songId);
    flash(req, 'success', `Removed “${song.title}”.`);
    res.redirect(303, pagePath(id));
  });

  router.post('/my/playlists/:id/songs/:songId/move', requireUser, async (req, res) => {
    const { id, songId } = fromUrl(forms.songParams, req);
    await playlists.get(userId(req), id);
    const form = parse(forms.moveForm, req.body);
    const { song, changed } = await playlists.moveSong(userId(req), id, songId, 'direction' in form ? form.direction : form.position);
    if (changed) flash(req, 'success', `Moved “${song.title}”.`);
    res.redirect(303, `${pagePath(id)}#song-${songId}`);
  });

  router.get('/my/playlists/:id/play', requireUser, async (req, res) => {
    const order = parse(forms.playQuery, req.query).order ?? 'in-order';
    const { playlist, songs } = await playlists.play(userId(req), fromUrl(forms.playlistParams, req).id, order);
    const loved = await favorites.lovedAmong(
      userId(req),
      songs.map((s) => s.id),
    );
    res.render('user-playlists/play', { title: playlist.name, playlist, songs, order, loved, base: `${pagePath(playlist.id)}/play`, owner: null });
  });

  router.get('/shared/playlists/:token', async (req, res) => {
    const token = forms.shareToken.safeParse(req.params.token);
    if (!token.success) throw new NotFound('There is no such playlist, or its owner has made it private.');
    const order = parse(forms.playQuery, req.query).order ?? 'in-order';
    const { playlist, songs } = await playlists.playShared(token.data, order);
    const loved = req.user
      ? await favorites.lovedAmong(
          req.user.id,
          songs.map((s) => s.id),
        )
      : undefined;
    res.set('X-Robots-Tag', 'noindex');
    res.render('user-playlists/play', { title: playlist.name, playlist, songs, order, loved, base: sharePath(playlist), owner: playlist.ownerName });
  });

  return router;
}
