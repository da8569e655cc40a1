// Admin songs: list and search, add (by URL or upload), edit, delete, and import from a file.
// Every change of genres goes through the playlist engine, so a new song can be drawn at once.
import { Readable } from 'node:stream';
import { Router, type Request, type Response } from 'express';
import type { Knex } from 'knex';
import type { Config } from '../../config.js';
import { importSongs } from '../../import/importer.js';
import { formatOf, ImportFormatError, rowsOf } from '../../import/import.sources.js';
import { flash } from '../../http/flash.js';
import { parse, parseParams, renderForm } from '../../http/validate.js';
import { songForm, songIdParams, songSearch, type SongForm } from './songs-admin.schemas.js';
import { createSongsAdminRepository, type GenreOption, type SongWithGenres } from './songs-admin.repository.js';
import { createUploadStore, sniffAudio, UnsupportedAudio } from './uploads.js';

type UploadedFiles = Record<string, Express.Multer.File[] | undefined>;
/** The song id in the URL; one that is not an id names no song (404). */
const songIdFrom = (req: Request) => parseParams(songIdParams, req.params, 'There is no such song.').id;
const uploaded = (req: Request, field: string) => (req.files as UploadedFiles | undefined)?.[field]?.[0];

export function createSongsAdminRouter({ db, config }: { db: Knex; config: Readonly<Config> }): Router {
  const router = Router();
  const songs = createSongsAdminRepository(db);
  const uploads = createUploadStore(config.uploadDir);

  const formView = (options: GenreOption[], song?: SongWithGenres) => ({
    view: 'admin/songs/form',
    locals: { title: song ? `Edit “${song.title}”` : 'Add a song', options, song, action: song ? `/admin/songs/${song.id}` : '/admin/songs' },
  });

  router.get('/admin/songs', async (req, res) => {
    const filter = parse(songSearch, req.query);
    const [page, options] = await Promise.all([songs.search(filter), songs.genreOptions()]);
    res.render('admin/songs/list', { title: 'Songs', ...page, options, filter });
  });

  router.get('/admin/songs/new', async (_req, res) => {
    renderForm(res, formView(await songs.genreOptions()), { values: { source: 'url' } });
  });

  router.get('/admin/songs/:id/edit', async (req, res) => {
    const song = await songs.find(songIdFrom(req));
    const values = { ...song, source: 'keep', url: song.url.startsWith('/media/') ? '' : song.url, genreIds: song.genreIds.map(String) };
    renderForm(res, formView(await songs.genreOptions(), song), { values });
  });

  /** Validates the form and the audio source; on any problem shows the form again and returns undefined. */
  async function readSongForm(req: Request, res: Response, existing?: SongWithGenres) {
    const options = await songs.genreOptions();
    const view = formView(options, existing);
    const form: SongForm = parse(songForm, req.body, view);
    const refuse = (status: number, errors: Record<string, string>) => renderForm(res, view, { status, values: req.body, errors });
    const known = new Set(options.map((o) => o.id));
    if (form.genreIds.some((id) => !known.has(id))) return refuse(400, { genreIds: 'holds a genre that does not exist' });
    if (form.source === 'keep' && !existing) return refuse(400, { source: 'choose a URL or an upload' });

    let url = existing?.url ?? '';
    let newUpload: string | undefined;
    if (form.source === 'url') url = form.url!;
    if (form.source === 'upload') {
      const file = uploaded(req, 'audio');
      if (!file) return refuse(400, { audio: 'choose a file to upload' });
      try {
        url = newUpload = await uploads.save(file.buffer, await sniffAudio(file.buffer));
      } catch (err) {
        if (err instanceof UnsupportedAudio) return refuse(415, { audio: err.message });
        throw err;
      }
    }
    if (url !== existing?.url && (await songs.urlTaken(url, existing?.id))) {
      if (newUpload) await uploads.remove(newUpload);
      return refuse(409, { url: 'is already in the catalog' });
    }
    const song = { title: form.title, artist: form.artist, album: form.album, year: form.year, url };
    return { song, genreIds: form.genreIds, newUpload };
  }

  router.post('/admin/songs', async (req, res) => {
    const input = await readSongForm(req, res);
    if (!input) return;
    try {
      const id = await songs.create(input.song, input.genreIds);
      flash(req, 'success', `Added “${input.song.title}”. It can be drawn in its genres right away.`);
      res.redirect(303, `/admin/songs?${new URLSearchParams({ q: input.song.title })}#song-${id}`);
    } catch (err) {
      if (input.newUpload) await uploads.remove(input.newUpload); // no song row, so no file either
      throw err;
    }
  });

  router.post('/admin/songs/:id', async (req, res) => {
    const existing = await songs.find(songIdFrom(req));
    const input = await readSongForm(req, res, existing);
    if (!input) return;
    try {
      await songs.update(existing.id, input.song, input.genreIds);
    } catch (err) {
      if (input.newUpload) await uploads.remove(input.newUpload);
      throw err;
    }
    if (input.song.url !== existing.url) await uploads.remove(existing.url);
    flash(req, 'success', `Saved “${input.song.title}”.`);
    res.redirect(303, '/admin/songs');
  });

  router.get('/admin/songs/:id/delete', async (req, res) => {
    const song = await songs.find(songIdFrom(req));
    res.render('admin/songs/delete', { title: `Delete “${song.title}”`, song });
  });

  router.post('/admin/songs/:id/delete', async (req, res) => {
    const song = await songs.find(songIdFrom(req));
    await songs.delete(song.id);
    await uploads.remove(song.url);
    flash(req, 'success', `Deleted “${song.title}”.`);
    res.redirect(303, '/admin/songs');
  });

  const IMPORT = { view: 'admin/songs/import', locals: { title: 'Import songs' } };

  router.get('/admin/import', (_req, res) => renderForm(res, IMPORT));

  router.post('/admin/import', async (req, res) => {
    const file = uploaded(req, 'file');
    if (!file) return renderForm(res, IMPORT, { status: 400, errors: { file: 'choose a CSV or JSON-lines file' } });
    try {
      const report = await importSongs(db, rowsOf(Readable.from([file.buffer]), formatOf(file.originalname)));
      res.render('admin/songs/import-report', { title: 'Import report', report, fileName: file.originalname });
    } catch (err) {
      if (!(err instanceof ImportFormatError)) throw err;
      renderForm(res, IMPORT, { status: 400, errors: { file: err.message } });
    }
  });

  return router;
}
