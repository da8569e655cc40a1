// The admin's songs: the song form's rules (its genres exist, its audio is a URL nobody else uses
// or an upload that really is audio), uploads that fill the form from their own tags, and uploads
// (their compressed copies and covers too) that never outlive their song nor a failed write.
import type { AudioChange } from '../../audio/audio.repository.js';
import type { AudioService } from '../../audio/audio.service.js';
import type { Actor } from '../../audit/audit.repository.js';
import type { Song } from '../../catalog/catalog.types.js';
import { Conflict, NotFound, ValidationFailed } from '../../lib/errors.js';
import type { ImportReport, ImportRun } from '../../import/import.types.js';
import { formatOf, ImportFormatError, type ImportFormat } from '../../import/import.sources.js';
import type { AudioFacts, AudioTags } from '../../media/audio-metadata.js';
import type { CoverImage, CoverStore } from '../../media/cover-store.js';
import type { UploadStore } from '../../media/upload-store.js';
import { MissingRows } from '../../playlists/membership.js';
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
  covers: CoverStore;
  audio: AudioService;
  /** Imports the file at this path in the given format, on record as `fileName` run by `actor`; afterwards measures the held songs it added. */
  importFile(path: string, format: ImportFormat, run: ImportRun): Promise<ImportReport>;
}

/** An upload read before it joins the catalog: what the form is filled with, and what it shows of the file. */
export interface PendingUpload {
  /** The file's name while it waits (the form sends it back). */
  token: string;
  /** The name it was uploaded with. */
  originalName: string;
  tags: AudioTags;
  facts: AudioFacts;
  lossless: boolean;
  /** It carries a cover that will become the song's artwork. */
  hasCover: boolean;
}

const GONE = 'the file read earlier is gone: upload it again';

/** The one answer for a song id that names no song (any more). */
function noSong(id: number): never {
  throw new NotFound(`No song with id ${id}`);
}

/** A genre or song deleted while the form was being saved: the write rolled back, and the admin is told which. */
async function unlessDeletedMeanwhile<T>(write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (err) {
    if (err instanceof MissingRows && err.table === 'songs') noSong(err.ids[0]!);
    if (err instanceof MissingRows) throw new NotFound(`No genre with id ${err.ids.join(', ')}`);
    throw err;
  }
}

export function createSongsAdminService({ songs, uploads, covers, audio, importFile }: SongsAdminServiceDeps) {
  /** A new upload's audio, stored at `url`, with everything known of it; the upload goes again if reading it fails. */
  async function stored(url: string): Promise<AudioChange> {
    try {
      return (await audio.ofUpload(url)).change;
    } catch (err) {
      await uploads.remove(url);
      throw err;
    }
  }

  /**
   * The song a valid form describes, and the files it saved (if any). Refuses unknown genres,
   * a missing source or file, a file that is not audio (415) and a URL already in the catalog (409).
   */
  async function songFrom(form: SongForm, file: PostedFile | undefined, existing?: SongWithGenres) {
    const known = new Set((await songs.genreOptions()).map((o) => o.mood.id));
    if (form.genreIds.some((id) => !known.has(id))) throw new ValidationFailed({ genreIds: 'holds a genre that does not exist' });
    if (form.source === 'keep' && !existing) throw new ValidationFailed({ source: 'choose a URL or an upload' });
    if (form.source === 'upload' && !file) throw new ValidationFailed({ audio: 'choose a file to upload' });
    if (form.source === 'pending' && !uploads.pendingFile(form.pending!)) throw new ValidationFailed({ audio: GONE });

    const fields = { title: form.title, artist: form.artist, album: form.album, year: form.year, track: form.track ?? null };
    // Saved last, with only the write to come (see writing): a fresh random name is nobody else's URL.
    if (form.source === 'upload' || form.source === 'pending') {
      const newUpload = form.source === 'upload' ? await uploads.save(file!.path) : await uploads.adoptPending(form.pending!);
      if (!newUpload) throw new ValidationFailed({ audio: GONE });
      // Its length, size, bit rate, loudness, compressed copy and cover, read from the file itself.
      const facts = await stored(newUpload);
      return { song: { ...fields, url: newUpload, ...facts }, newUpload, newCover: facts.cover ?? undefined, audioChanged: true };
    }
    const url = form.source === 'url' ? form.url! : existing!.url;
    if (url !== existing?.url && (await songs.urlTaken(url, existing?.id))) {
      throw new Conflict('That audio is already in the catalog.', { url: 'is already in the catalog' });
    }
    // Audio elsewhere: its size, bit rate and loudness are unknown (its length is kept: the import may know it).
    const changed = existing !== undefined && url !== existing.url;
    const unknown = { sizeBytes: null, bitRate: null, loudness: null, streamUrl: null };
    return { song: { ...fields, url, ...(changed && unknown) }, newUpload: undefined, newCover: undefined, audioChanged: changed };
  }

  /** Runs a write; a new upload (and the cover it brought) whose song was not written is removed again. */
  async function writing<T>(saved: { newUpload?: string; newCover?: string }, write: () => Promise<T>): Promise<T> {
    try {
      return await unlessDeletedMeanwhile(write);
    } catch (err) {
      if (saved.newUpload) await uploads.remove(saved.newUpload);
      await covers.remove(saved.newCover);
      throw err;
    }
  }

  async function pendingUpload(token: string, originalName: string): Promise<PendingUpload | undefined> {
    const file = uploads.pendingFile(token);
    if (!file) return undefined;
    const { tags, lossless, picture, sizeBytes, durationSeconds, bitRate } = await audio.read(file);
    const hasCover = picture ? await covers.accepts(picture) : false;
    const name =
      originalName
        .replace(/[\p{Cc}]/gu, '')
        .trim()
        .slice(0, 200) || token;
    return { token, originalName: name, tags, facts: { sizeBytes, durationSeconds, bitRate }, lossless, hasCover };
  }

  return {
    genreOptions: songs.genreOptions,
    search: songs.search,
    find: async (id: number): Promise<SongWithGenres> => (await songs.find(id)) ?? noSong(id),

    /** Keeps an upload aside and reads it: the form is then filled from its tags, and the admin confirms. Throws UnsupportedAudio. */
    async readUpload(file: PostedFile | undefined): Promise<PendingUpload> {
      if (!file) throw new ValidationFailed({ audio: 'choose a file to upload' });
      const token = await uploads.keepPending(file.path);
      return (await pendingUpload(token, file.originalName))!;
    },

    /** An upload read earlier and not added yet, or undefined when it is gone. */
    pendingUpload,

    canMeasure: audio.canMeasure,

    /** A pending upload's cover, drawn for the form; NotFound when it has none (or is gone). */
    async pendingCover(token: string, size: number): Promise<CoverImage> {
      const file = uploads.pendingFile(token);
      const picture = file ? (await audio.read(file)).picture : undefined;
      const image = picture && (await covers.preview(picture, size));
      if (!image) throw new NotFound('That upload has no cover.');
      return image;
    },

    async create(actor: Actor, form: SongForm, file?: PostedFile): Promise<{ id: number; title: string }> {
      const { song, ...saved } = await songFrom(form, file);
      const id = await writing(saved, () => songs.create(song, form.genreIds, actor));
      return { id, title: song.title };
    },

    /** Saves the edit; the song's old upload (and a cover replaced by a new one) goes once nothing points at it. */
    async update(actor: Actor, existing: SongWithGenres, form: SongForm, file?: PostedFile): Promise<void> {
      const { song, audioChanged, ...saved } = await songFrom(form, file, existing);
      const { previousCover } = await writing(
        saved,
        async () => (await songs.update(existing.id, song, form.genreIds, actor, audioChanged)) ?? noSong(existing.id),
      );
      if (song.url !== existing.url) await uploads.remove(existing.url);
      if (saved.newCover && previousCover !== saved.newCover) await covers.remove(previousCover);
    },

    async delete(actor: Actor, id: number): Promise<Song> {
      const song = (await songs.find(id)) ?? noSong(id);
      const { cover } = (await songs.delete(song.id, actor)) ?? noSong(id);
      await uploads.remove(song.url);
      await covers.remove(cover);
      return song;
    },

    /** Imports a CSV or JSON-lines file; a missing or unreadable file is a `file` field error. */
    async import(actor: Actor, file: PostedFile | undefined): Promise<ImportReport> {
      if (!file) throw new ValidationFailed({ file: 'choose a CSV or JSON-lines file' });
      try {
        return await unlessDeletedMeanwhile(() => importFile(file.path, formatOf(file.originalName), { actor, fileName: file.originalName }));
      } catch (err) {
        if (err instanceof ImportFormatError) throw new ValidationFailed({ file: err.message });
        throw err;
      }
    },
  };
}

export type SongsAdminService = ReturnType<typeof createSongsAdminService>;
