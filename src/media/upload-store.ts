// Uploaded audio: checked by its bytes rather than its name, stored under generated names outside
// public/, and served (media.routes.ts) with its real type, nosniff, and range requests for seeking.
// Uploads arrive as temp files in UPLOAD_DIR/.incoming (http/uploads.ts): the same filesystem as
// their final place, so keeping one is a rename, atomic, with no copy and no half-written file.
// An upload the admin is still looking at (the form filled from its tags, not yet confirmed) waits
// in UPLOAD_DIR/.pending under its future name; one never confirmed is swept after a day. A lossless
// upload's compressed copy (web-copy.ts) sits beside it: the same name, `.m4a`.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileTypeFromFile } from 'file-type';
import { ValidationFailed } from '../lib/errors.js';
import { AUDIO_EXTENSIONS, type AudioExtension, isAudioExtension } from './audio-types.js';
import { WEB_COPY_EXTENSION } from './web-copy.js';

export const UPLOAD_NAME = new RegExp(`^[0-9a-f]{32}\\.(${AUDIO_EXTENSIONS.join('|')})$`);
export const UPLOAD_URL_PREFIX = '/media/uploads/';
const INCOMING = '.incoming';
const PENDING = '.pending';
/** A temp file is written to until its request has arrived, which takes at most HTTP_REQUEST_TIMEOUT_MS (≤ 1 h). */
const STALE_INCOMING_MS = 60 * 60 * 1000;
/** An upload read but never added to the catalog. */
const STALE_PENDING_MS = 24 * 60 * 60 * 1000;
const WEB_COPY_SUFFIX = `.${WEB_COPY_EXTENSION}`;

/** 415 on the form's audio field. */
export class UnsupportedAudio extends ValidationFailed {
  constructor() {
    super(
      { audio: `must be an audio file: ${AUDIO_EXTENSIONS.slice(0, -1).join(', ')} or ${AUDIO_EXTENSIONS.at(-1)}` },
      { status: 415, code: 'unsupported_media_type' },
    );
  }
}

/** The extension we will store the file under, judged by its content (MP4 audio is .m4a); throws UnsupportedAudio. */
async function sniffAudio(file: string): Promise<AudioExtension> {
  const sniffed = (await fileTypeFromFile(file))?.ext;
  const ext = sniffed === 'mp4' ? 'm4a' : sniffed;
  if (!ext || !isAudioExtension(ext)) throw new UnsupportedAudio();
  return ext;
}

/** Removes temp files last changed before `before` (ms); another process may be sweeping too. */
function sweepIncoming(incoming: string, before: number): void {
  for (const name of fs.readdirSync(incoming)) {
    const file = path.join(incoming, name);
    const stat = fs.statSync(file, { throwIfNoEntry: false });
    if (stat?.isFile() && stat.mtimeMs < before) fs.rmSync(file, { force: true });
  }
}

/**
 * The upload folder. Creating it makes `.incoming` and sweeps what a crashed process left there:
 * once per process, synchronously, so an upload folder we cannot write to stops the start-up.
 */
export function createUploadStore(dir: string) {
  const incomingDir = path.join(dir, INCOMING);
  const pendingDir = path.join(dir, PENDING);
  fs.mkdirSync(incomingDir, { recursive: true });
  fs.mkdirSync(pendingDir, { recursive: true });
  sweepIncoming(incomingDir, Date.now() - STALE_INCOMING_MS);
  sweepIncoming(pendingDir, Date.now() - STALE_PENDING_MS);
  const nameOf = (url: string) => {
    const name = url.startsWith(UPLOAD_URL_PREFIX) ? url.slice(UPLOAD_URL_PREFIX.length) : '';
    return UPLOAD_NAME.test(name) ? name : undefined;
  };
  const webCopyOf = (url: string) => {
    const name = nameOf(url);
    if (!name || name.endsWith(WEB_COPY_SUFFIX)) return undefined;
    const copy = name.replace(/\.[a-z0-9]+$/, WEB_COPY_SUFFIX);
    return { file: path.join(dir, copy), url: UPLOAD_URL_PREFIX + copy };
  };
  return {
    /** The upload folder itself. */
    dir,
    /** Where uploads are written while they arrive. */
    incomingDir,
    /** Moves an audio temp file into place under a fresh random name; returns its URL. Throws UnsupportedAudio. */
    async save(tempFile: string): Promise<string> {
      const ext = await sniffAudio(tempFile);
      const name = `${crypto.randomBytes(16).toString('hex')}.${ext}`;
      await fs.promises.rename(tempFile, path.join(dir, name));
      return UPLOAD_URL_PREFIX + name;
    },
    /**
     * Keeps an audio temp file aside, not yet in the catalog, under the name it will have; returns
     * that name (the pending upload's token). Throws UnsupportedAudio.
     */
    async keepPending(tempFile: string): Promise<string> {
      const ext = await sniffAudio(tempFile);
      const name = `${crypto.randomBytes(16).toString('hex')}.${ext}`;
      await fs.promises.rename(tempFile, path.join(pendingDir, name));
      return name;
    },
    /** The file of a pending upload, or undefined when the token names none (any more). */
    pendingFile(token: string): string | undefined {
      if (!UPLOAD_NAME.test(token)) return undefined;
      const file = path.join(pendingDir, token);
      return fs.existsSync(file) ? file : undefined;
    },
    /** Moves a pending upload into place; returns its URL, or undefined when it is gone. */
    async adoptPending(token: string): Promise<string | undefined> {
      if (!UPLOAD_NAME.test(token)) return undefined;
      try {
        await fs.promises.rename(path.join(pendingDir, token), path.join(dir, token));
        return UPLOAD_URL_PREFIX + token;
      } catch {
        return undefined;
      }
    },
    /** The file behind an upload URL, or undefined for any other URL. */
    fileOf(url: string): string | undefined {
      const name = nameOf(url);
      return name && path.join(dir, name);
    },
    /** Where the compressed copy of an upload goes, and its URL (none for an upload that is already .m4a). */
    webCopyOf,
    /** Removes the compressed copy of an upload whose original is gone. */
    async removeCopyOf(url: string): Promise<void> {
      const copy = webCopyOf(url);
      const name = nameOf(url);
      if (copy && name && !fs.existsSync(path.join(dir, name))) await fs.promises.rm(copy.file, { force: true });
    },
    /** Removes the file behind an upload URL and its compressed copy (other URLs are left alone). */
    async remove(url: string): Promise<void> {
      const name = nameOf(url);
      if (!name) return;
      await fs.promises.rm(path.join(dir, name), { force: true });
      const copy = webCopyOf(url);
      if (copy) await fs.promises.rm(copy.file, { force: true });
    },
  };
}

export type UploadStore = ReturnType<typeof createUploadStore>;
