// Listeners' own playlists: HTML forms only, every change a POST with its CSRF token, answered by
// a redirect and a flash message (Post/Redirect/Get). Ownership is checked before the form is
// read, so someone else's playlist answers 403 and never shows its contents in a form error.
import { type Request, type Response, Router } from 'express';
import { wantsJson } from '../http/error-handler.js';
import { flash } from '../http/flash.js';
import { type FormView, renderForm, showsForm } from '../http/forms.js';
import { requireUser, safeLocalPath } from '../http/guards.js';
import type { PublicUrl } from '../http/public-url.js';
import { parse, parseParams } from '../http/validate.js';
import type { TrackListPresenter } from '../presenters/track-list.presenter.js';
import { sharedPlaylistMeta } from '../previews/page-meta.js';
import type { PlaylistSong, UserPlaylist } from './user-playlists.repository.js';
import * as forms from './user-playlists.schemas.js';
import type { UserPlaylistsService } from './user-playlists.service.js';

interface Deps {
  playlists: UserPlaylistsService;
  trackList: TrackListPresenter;
  publicUrl: PublicUrl;
}

const userId = (req: Request) => req.user!.id;
const pagePath = (id: number) => `/my/playlists/${id}`;
const sharePath = (p: UserPlaylist) => `/shared/playlists/${p.shareToken}`;
const idFrom = (req: Request) => parseParams(forms.playlistParams, req.params, 'There is no such playlist.').id;
const songFrom = (req: Request) => parseParams(forms.songParams, req.params, 'There is no such playlist.');
const back = (req: Request, res: Response, fallback: string) => res.redirect(303, safeLocalPath(req.body?.returnTo) ?? fallback);
const added = (song: { title: string }, playlist: UserPlaylist, changed: boolean) =>
  changed ? `Added “${song.title}” to “${playlist.name}”.` : `“${song.title}” is already in “${playlist.name}”.`;

export function createUserPlaylistsRouter({ playlists, trackList, publicUrl }: Deps): Router {
  const router = Router();

  const listView = async (req: Request): Promise<FormView> => ({
    view: 'user-playlists/index',
    locals: { title: 'Your playlists', playlists: await playlists.list(userId(req)) },
  });
  const showView = (req: Request, playlist: UserPlaylist, songs: PlaylistSong[]): FormView => ({
    view: 'user-playlists/show',
    locals: { title: playlist.name, playlist, songs, shareUrl: `${req.protocol}://${req.get('host')}${sharePath(playlist)}` },
    values: { name: playlist.name },
  });
  /** The playlist's own page (its rename form), for the playlist the URL names. */
  const ownPage = async (req: Request): Promise<FormView> => {
    const { playlist, songs } = await playlists.view(userId(req), idFrom(req));
    return showView(req, playlist, songs);
  };

  router.get('/my/playlists', requireUser, async (req, res) => renderForm(res, await listView(req)));

  // From the list page, or from a row's "New playlist…" (newView), which puts its song in at once.
  router.post(
    '/my/playlists',
    requireUser,
    showsForm((req) => (req.body?.songId ? newView(req) : listView(req))),
    async (req, res) => {
      const form = parse(forms.createForm, req.body);
      const playlist = await playlists.create(userId(req), form.name);
      if (form.songId === undefined) {
        flash(req, 'success', `Created “${playlist.name}”.`);
        return res.redirect(303, pagePath(playlist.id));
      }
      const { song } = await playlists.addSong(userId(req), playlist.id, form.songId);
      flash(req, 'success', `Created “${playlist.name}” and added “${song.title}”.`);
      back(req, res, pagePath(playlist.id));
    },
  );

  const newView = async (req: Request): Promise<FormView> => {
    const { songId, returnTo } = parse(forms.newPlaylistQuery, req.method === 'GET' ? req.query : req.body);
    const song = songId === undefined ? undefined : await playlists.song(songId);
    return { view: 'user-playlists/new', locals: { title: 'New playlist', song, returnTo: safeLocalPath(returnTo) } };
  };
  router.get('/my/playlists/new', requireUser, async (req, res) => renderForm(res, await newView(req)));

  // A row's menu: one form per track, the playlist chosen in a <select> ("new" asks for a name
  // first). A fetch (Accept: application/json) gets what was done, to say it without leaving the page.
  router.post('/my/playlists/add', requireUser, async (req, res) => {
    const form = parse(forms.addToPlaylistForm, req.body);
    if (form.playlistId === 'new') {
      const query = new URLSearchParams({ songId: String(form.songId), ...(form.returnTo && { returnTo: form.returnTo }) });
      return res.redirect(303, `/my/playlists/new?${query}`);
    }
    const { playlist, song, changed } = await playlists.addSong(userId(req), form.playlistId, form.songId);
    if (wantsJson(req)) return res.json({ playlist: { id: playlist.id, name: playlist.name }, song: { id: song.id, title: song.title }, added: changed });
    flash(req, 'success', added(song, playlist, changed));
    back(req, res, pagePath(playlist.id));
  });

  router.get('/my/playlists/:id', requireUser, async (req, res) => renderForm(res, await ownPage(req)));

  router.post('/my/playlists/:id/rename', requireUser, showsForm(ownPage), async (req, res) => {
    const id = idFrom(req);
    await playlists.get(userId(req), id); // 404 or 403 before the form is read
    const form = parse(forms.nameForm, req.body);
    await playlists.rename(userId(req), id, form.name);
    flash(req, 'success', `Renamed to “${form.name}”.`);
    res.redirect(303, pagePath(id));
  });

  router.post('/my/playlists/:id/visibility', requireUser, async (req, res) => {
    const id = idFrom(req);
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
    const { playlist, songs } = await playlists.view(userId(req), idFrom(req));
    res.render('user-playlists/delete', { title: `Delete ${playlist.name}`, playlist, songCount: songs.length });
  });

  router.post('/my/playlists/:id/delete', requireUser, async (req, res) => {
    const playlist = await playlists.remove(userId(req), idFrom(req));
    flash(req, 'success', `Deleted “${playlist.name}”.`);
    res.redirect(303, '/my/playlists');
  });

  router.post('/my/playlists/:id/songs', requireUser, async (req, res) => {
    const id = idFrom(req);
    await playlists.get(userId(req), id);
    const form = parse(forms.addSongForm, req.body);
    const { playlist, song, changed } = await playlists.addSong(userId(req), id, form.songId);
    flash(req, 'success', added(song, playlist, changed));
    back(req, res, pagePath(id));
  });

  router.post('/my/playlists/:id/songs/:songId/remove', requireUser, async (req, res) => {
    const { id, songId } = songFrom(req);
    const { song } = await playlists.removeSong(userId(req), id, songId);
    flash(req, 'success', `Removed “${song.title}”.`);
    res.redirect(303, pagePath(id));
  });

  router.post('/my/playlists/:id/songs/:songId/move', requireUser, async (req, res) => {
    const { id, songId } = songFrom(req);
    await playlists.get(userId(req), id);
    const form = parse(forms.moveForm, req.body);
    const { song, changed } = await playlists.moveSong(userId(req), id, songId, 'direction' in form ? form.direction : form.position);
    if (changed) flash(req, 'success', `Moved “${song.title}”.`);
    res.redirect(303, `${pagePath(id)}#song-${songId}`);
  });

  router.get('/my/playlists/:id/play', requireUser, async (req, res) => {
    const order = parse(forms.playQuery, req.query).order ?? 'in-order';
    const { playlist, songs } = await playlists.play(userId(req), idFrom(req), order);
    const base = `${pagePath(playlist.id)}/play`;
    const source = { key: `playlist:${playlist.id}:${order}`, label: playlist.name };
    res.render('user-playlists/play', { title: playlist.name, playlist, order, base, owner: null, tracks: await trackList(req, songs, { source }) });
  });

  router.get('/shared/playlists/:token', async (req, res) => {
    const token = parseParams(forms.shareParams, req.params, 'There is no such playlist, or its owner has made it private.').token;
    const order = parse(forms.playQuery, req.query).order ?? 'in-order';
    const { playlist, songs } = await playlists.playShared(token, order);
    res.set('X-Robots-Tag', 'noindex');
    const tracks = await trackList(req, songs, { source: { key: `shared:${token}:${order}`, label: `${playlist.name}, a playlist by ${playlist.ownerName}` } });
    const meta = sharedPlaylistMeta({ playlist, songs }, (path) => publicUrl(req, path));
    res.render('user-playlists/play', { title: playlist.name, playlist, order, base: sharePath(playlist), owner: playlist.ownerName, tracks, meta });
  });

  return router;
}
