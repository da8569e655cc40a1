// Admin songs: list and search, add (by URL or upload), edit, delete, and import from a file.
// Every change of genres goes through the playlist engine, so a new song can be drawn at once.
import { type Request, Router } from 'express';
import { flash } from '../../http/flash.js';
import { adminActor } from '../../http/guards.js';
import { type FormView, renderForm, showsForm } from '../../http/forms.js';
import { uploadedFile } from '../../http/uploads.js';
import { parse, parseParams } from '../../http/validate.js';
import { isHeldAudio } from '../../catalog/song-media.js';
import { describeFile, describeLoudness } from '../../presenters/audio-facts.js';
import { pendingParams, songForm, songIdParams, songSearch } from './songs-admin.schemas.js';
import type { SongWithGenres } from './songs-admin.repository.js';
import type { PendingUpload, SongsAdminService } from './songs-admin.service.js';

/** The song id in the URL; one that is not an id names no song (404). */
const songIdFrom = (req: Request) => parseParams(songIdParams, req.params, 'There is no such song.').id;
const IMPORT: FormView = { view: 'admin/songs/import', locals: { title: 'Import songs' } };
/** The cover shown beside a file being added. */
const PENDING_COVER_SIZE = 160;

/** The form's fields as the file's tags fill them; a file without a title is named by its file name. */
function valuesFromTags({ tags, originalName }: PendingUpload): Record<string, string> {
  const fromName = originalName.replace(/\.[A-Za-z0-9]{1,5}$/, '').trim();
  return {
    title: tags.title ?? fromName,
    artist: tags.artist ?? '',
    album: tags.album ?? '',
    year: tags.year === undefined ? '' : String(tags.year),
    track: tags.track === undefined ? '' : String(tags.track),
  };
}

export function createSongsAdminRouter({ songs }: { songs: SongsAdminService }): Router {
  const router = Router();

  const formView = async (song?: SongWithGenres, pending?: PendingUpload): Promise<FormView> => ({
    view: 'admin/songs/form',
    locals: {
      title: song ? `Edit “${song.title}”` : pending ? `Add “${pending.originalName}”` : 'Add a song',
      options: await songs.genreOptions(),
      song,
      pending,
      measures: await songs.canMeasure(),
      describeFile,
      describeLoudness,
      action: song ? `/admin/songs/${song.id}` : '/admin/songs',
    },
    values: song
      ? { ...song, source: 'keep', url: song.url.startsWith('/media/') ? '' : song.url, genreIds: song.genreIds.map(String) }
      : pending
        ? { ...valuesFromTags(pending), source: 'pending', pending: pending.token, pendingName: pending.originalName }
        : { source: 'url' },
  });
  const editView = async (req: Request) => formView(await songs.find(songIdFrom(req)));
  // A refused form for a file read earlier shows that file again (its name came back with the form).
  const newView = async (req: Request) => {
    const { source, pending, pendingName } = (req.body ?? {}) as Record<string, unknown>;
    const read = source === 'pending' && typeof pending === 'string' ? await songs.pendingUpload(pending, String(pendingName ?? '')) : undefined;
    return formView(undefined, read);
  };

  router.get('/admin/songs', async (req, res) => {
    const filter = parse(songSearch, req.query);
    const [page, options] = await Promise.all([songs.search(filter), songs.genreOptions()]);
    res.render('admin/songs/list', { title: 'Songs', ...page, options, filter, measures: await songs.canMeasure(), describeLoudness, isHeldAudio });
  });

  router.get('/admin/songs/new', async (_req, res) => renderForm(res, await formView()));

  router.get('/admin/songs/:id/edit', async (req, res) => renderForm(res, await editView(req)));

  // The upload step: the file is kept aside and read, and the form comes back filled from its tags.
  router.post('/admin/songs/upload', showsForm(newView), async (req, res) => {
    renderForm(res, await formView(undefined, await songs.readUpload(uploadedFile(req, 'audio'))));
  });

  router.get('/admin/songs/pending/:token/cover', async (req, res) => {
    const { token } = parseParams(pendingParams, req.params, 'There is no such upload.');
    const image = await songs.pendingCover(token, PENDING_COVER_SIZE);
    res.set('Cache-Control', 'private, max-age=3600').type('image/png').send(image.body);
  });

  router.post('/admin/songs', showsForm(newView), async (req, res) => {
    const { id, title } = await songs.create(adminActor(req), parse(songForm, req.body), uploadedFile(req, 'audio'));
    flash(req, 'success', `Added “${title}”. It can be drawn in its genres right away.`);
    res.redirect(303, `/admin/songs?${new URLSearchParams({ q: title })}#song-${id}`);
  });

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
