// Admin songs: list and search, add (by URL or upload), edit, delete, and import from a file.
// Every change of genres goes through the playlist engine, so a new song can be drawn at once.
import { type Request, Router } from 'express';
import { flash } from '../../http/flash.js';
import { adminActor } from '../../http/guards.js';
import { type FormView, renderForm, showsForm } from '../../http/forms.js';
import { uploadedFile } from '../../http/uploads.js';
import { parse, parseParams } from '../../http/validate.js';
import { songForm, songIdParams, songSearch } from './songs-admin.schemas.js';
import type { SongWithGenres } from './songs-admin.repository.js';
import type { SongsAdminService } from './songs-admin.service.js';

/** The song id in the URL; one that is not an id names no song (404). */
const songIdFrom = (req: Request) => parseParams(songIdParams, req.params, 'There is no such song.').id;
const IMPORT: FormView = { view: 'admin/songs/import', locals: { title: 'Import songs' } };

export function createSongsAdminRouter({ songs }: { songs: SongsAdminService }): Router {
  const router = Router();

  const formView = async (song?: SongWithGenres): Promise<FormView> => ({
    view: 'admin/songs/form',
    locals: {
      title: song ? `Edit “${song.title}”` : 'Add a song',
      options: await songs.genreOptions(),
      song,
      action: song ? `/admin/songs/${song.id}` : '/admin/songs',
    },
    values: song ? { ...song, source: 'keep', url: song.url.startsWith('/media/') ? '' : song.url, genreIds: song.genreIds.map(String) } : { source: 'url' },
  });
  const editView = async (req: Request) => formView(await songs.find(songIdFrom(req)));

  router.get('/admin/songs', async (req, res) => {
    const filter = parse(songSearch, req.query);
    const [page, options] = await Promise.all([songs.search(filter), songs.genreOptions()]);
    res.render('admin/songs/list', { title: 'Songs', ...page, options, filter });
  });

  router.get('/admin/songs/new', async (_req, res) => renderForm(res, await formView()));

  router.get('/admin/songs/:id/edit', async (req, res) => renderForm(res, await editView(req)));

  router.post(
    '/admin/songs',
    showsForm(() => formView()),
    async (req, res) => {
      const { id, title } = await songs.create(adminActor(req), parse(songForm, req.body), uploadedFile(req, 'audio'));
      flash(req, 'success', `Added “${title}”. It can be drawn in its genres right away.`);
      res.redirect(303, `/admin/songs?${new URLSearchParams({ q: title })}#song-${id}`);
    },
  );

  router.post('/admin/songs/:id', showsForm(editView), async (req, res) => {
    const existing = await songs.find(songIdFrom(req));
    const form = parse(songForm, req.body);
    await songs.update(adminActor(req), existing, form, uploadedFile(req, 'audio'));
    flash(req, 'success', `Saved “${form.title}”.`);
    res.redirect(303, '/admin/songs');
  });

  router.get('/admin/songs/:id/delete', async (req, res) => {
    const song = await songs.find(songIdFrom(req));
    res.render('admin/songs/delete', { title: `Delete “${song.title}”`, song });
  });

  router.post('/admin/songs/:id/delete', async (req, res) => {
    const song = await songs.delete(adminActor(req), songIdFrom(req));
    flash(req, 'success', `Deleted “${song.title}”.`);
    res.redirect(303, '/admin/songs');
  });

  router.get('/admin/import', (_req, res) => renderForm(res, IMPORT));

  router.post('/admin/import', showsForm(IMPORT), async (req, res) => {
    const file = uploadedFile(req, 'file');
    const report = await songs.import(adminActor(req), file);
    res.render('admin/songs/import-report', { title: 'Import report', report, fileName: file!.originalName });
  });

  return router;
}
