// Uploaded audio: checked by its bytes rather than its name, stored under generated names outside
// public/, and served (media.routes.ts) with its real type, nosniff, and range requests for seeking.
// Uploads arrive as temp files in UPLOAD_DIR/.incoming (http/uploads.ts): the same filesystem as
// their final place, so keeping one is a rename, atomic, with no copy and no half-written file.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileTypeFromFile } from 'file-type';
import { ValidationFailed } from '../http/errors.js';

/** What we accept, by the type sniffed from the file's first bytes. */
const AUDIO_TYPES: Record<string, string> = { mp3: 'mp3', ogg: 'ogg', m4a: 'm4a', mp4: 'm4a', wav: 'wav', flac: 'flac' };
export const UPLOAD_NAME = /^[0-9a-f]{32}\.(mp3|ogg|m4a|wav|flac)$/;
export const UPLOAD_URL_PREFIX = '/media/uploads/';
const INCOMING = '.incoming';
/** A temp file is written to until its request has arrived, which takes at most HTTP_REQUEST_TIMEOUT_MS (≤ 1 h). */
const STALE_INCOMING_MS = 60 * 60 * 1000;

/** 415 on the form's audio field. */
export class UnsupportedAudio extends ValidationFailed {
  constructor() {
    super({ audio: 'must be an audio file: mp3, ogg, m4a, wav or flac' }, { status: 415, code: 'unsupported_media_type' });
  }
}

/** The extension we will store the file under, judged by its content; throws UnsupportedAudio. */
async function sniffAudio(file: string): Promise<string> {
  const type = await fileTypeFromFile(file);
  const ext = type && AUDIO_TYPES[type.ext];
  if (!ext) throw new UnsupportedAudio();
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
  fs.mkdirSync(incomingDir, { recursive: true });
  sweepIncoming(incomingDir, Date.now() - STALE_INCOMING_MS);
  return {
    /** Where uploads are written while they arrive. */
    incomingDir,
    /** Moves an audio temp file into place under a fresh random name; returns its URL. Throws UnsupportedAudio. */
    async save(tempFile: string): Promise<string> {
      const ext = await sniffAudio(tempFile);
      const name = `${crypto.randomBytes(16).toString('hex')}.${ext}`;
      await fs.promises.rename(tempFile, path.join(dir, name));
      return UPLOAD_URL_PREFIX + name;
    },
    /** The file behind an upload URL, or undefined for any other URL. */
    fileOf(url: string): string | undefined {
      const name = url.startsWith(UPLOAD_URL_PREFIX) ? url.slice(UPLOAD_URL_PREFIX.length) : '';
      return UPLOAD_NAME.test(name) ? path.join(dir, name) : undefined;
    },
    /** Removes the file behind an upload URL (other URLs are left alone). */
    async remove(url: string): Promise<void> {
      const name = url.startsWith(UPLOAD_URL_PREFIX) ? url.slice(UPLOAD_URL_PREFIX.length) : '';
      if (UPLOAD_NAME.test(name)) await fs.promises.rm(path.join(dir, name), { force: true });
    },
  };
}

export type UploadStore = ReturnType<typeof createUploadStore>;
