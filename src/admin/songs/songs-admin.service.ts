// The admin's songs: the song form's rules (its genres exist, its audio is a URL nobody else uses
// or an upload that really is audio), and uploads that never outlive their song nor a failed write.
import type { Actor } from '../../audit/audit.repository.js';
import type { Song } from '../../catalog/catalog.types.js';
import { Conflict, ValidationFailed } from '../../http/errors.js';
import type { ImportReport, ImportRun } from '../../import/import.service.js';
import { formatOf, ImportFormatError, type ImportFormat } from '../../import/import.sources.js';
import { readAudioFacts } from '../../media/audio-metadata.js';
import type { UploadStore } from '../../media/upload-store.js';
import type { SongForm } from './songs-admin.schemas.js';
import type { SongWithGenres, SongsAdminRepository } from './songs-admin.repository.js';

/** A file posted with a form: its temp file, there until the request is over (http/uploads.ts). */
export interface PostedFile {
  path: string;
  size: number;
  originalName: string;
}

export interface SongsAdminServiceDeps {
  songs: SongsAdminRepository;
  uploads: UploadStore;
  /** Imports the file at this path in the given format, on record as `fileName` run by `actor`. */
  importFile(path: string, format: ImportFormat, run: ImportRun): Promise<ImportReport>;
}

export function createSongsAdminService({ songs, uploads, importFile }: SongsAdminServiceDeps) {
  /**
   * The song a valid form describes, and the upload it saved (if any). Refuses unknown genres,
   * a missing source or file, a file that is not audio (415) and a URL already in the catalog (409).
   */
  async function songFrom(form: SongForm, audio: PostedFile | undefined, existing?: SongWithGenres) {
    const known = new Set((await songs.genreOptions()).map((o) => o.id));
    if (form.genreIds.some((id) => !known.has(id))) throw new ValidationFailed({ genreIds: 'holds a genre that does not exist' });
    if (form.source === 'keep' && !existing) throw new ValidationFailed({ source: 'choose a URL or an upload' });
    if (form.source === 'upload' && !audio) throw new ValidationFailed({ audio: 'choose a file to upload' });

    const fields = { title: form.title, artist: form.artist, album: form.album, year: form.year };
    // Saved last, with only the write to come (see writing): a fresh random name is nobody else's URL.
    if (form.source === 'upload') {
      const newUpload = await uploads.save(audio!.path);
      // Its length, size and bit rate, read from the file itself.
      const facts = await readAudioFacts(uploads.fileOf(newUpload)!);
      return { song: { ...fields, url: newUpload, ...facts }, newUpload, audioChanged: true };
    }
    const url = form.source === 'url' ? form.url! : existing!.url;
    if (url !== existing?.url && (await songs.urlTaken(url, existing?.id))) {
      throw new Conflict('That audio is already in the catalog.', { url: 'is already in the catalog' });
    }
    // Audio elsewhere: its size and bit rate are unknown (its length is kept: the import may know it).
    const changed = existing !== undefined && url !== existing.url;
    return { song: { ...fields, url, ...(changed && { sizeBytes: null, bitRate: null }) }, newUpload: undefined, audioChanged: changed };
  }

  /** Runs a write; a new upload whose song was not written is removed again. */
  async function writing<T>(newUpload: string | undefined, write: () => Promise<T>): Promise<T> {
    try {
      return await write();
    } catch (err) {
      if (newUpload) await uploads.remove(newUpload);
      throw err;
    }
  }

  return {
    genreOptions: songs.genreOptions,
    search: songs.search,
    find: songs.find,

    async create(actor: Actor, form: SongForm, audio?: PostedFile): Promise<{ id: number; title: string }> {
      const { song, newUpload } = await songFrom(form, audio);
      const id = await writing(newUpload, () => songs.create(song, form.genreIds, actor));
      return { id, title: song.title };
    },

    /** Saves the edit; the song's old upload goes once nothing points at it. */
    async update(actor: Actor, existing: SongWithGenres, form: SongForm, audio?: PostedFile): Promise<void> {
      const { song, newUpload, audioChanged } = await songFrom(form, audio, existing);
      await writing(newUpload, () => songs.update(existing.id, song, form.genreIds, actor, audioChanged));
      if (song.url !== existing.url) await uploads.remove(existing.url);
    },

    async delete(actor: Actor, id: number): Promise<Song> {
      const song = await songs.find(id);
      await songs.delete(song.id, actor);
      await uploads.remove(song.url);
      return song;
    },

    /** Imports a CSV or JSON-lines file; a missing or unreadable file is a `file` field error. */
    async import(actor: Actor, file: PostedFile | undefined): Promise<ImportReport> {
      if (!file) throw new ValidationFailed({ file: 'choose a CSV or JSON-lines file' });
      try {
        return await importFile(file.path, formatOf(file.originalName), { actor, fileName: file.originalName });
      } catch (err) {
        if (err instanceof ImportFormatError) throw new ValidationFailed({ file: err.message });
        throw err;
      }
    },
  };
}

export type SongsAdminService = ReturnType<typeof createSongsAdminService>;
