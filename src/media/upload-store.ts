// Uploaded audio: checked by its bytes rather than its name, stored under generated names outside
// public/, and served (media.routes.ts) with its real type, nosniff, and range requests for seeking.
import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { fileTypeFromBuffer } from 'file-type';
import { ValidationFailed } from '../http/errors.js';

/** What we accept, by the type sniffed from the file's first bytes. */
const AUDIO_TYPES: Record<string, string> = { mp3: 'mp3', ogg: 'ogg', m4a: 'm4a', mp4: 'm4a', wav: 'wav', flac: 'flac' };
export const UPLOAD_NAME = /^[0-9a-f]{32}\.(mp3|ogg|m4a|wav|flac)$/;
export const UPLOAD_URL_PREFIX = '/media/uploads/';

/** 415 on the form's audio field. */
export class UnsupportedAudio extends ValidationFailed {
  constructor() {
    super({ audio: 'must be an audio file: mp3, ogg, m4a, wav or flac' }, { status: 415, code: 'unsupported_media_type' });
  }
}

/** The extension we will store the file under, judged by its content; throws UnsupportedAudio. */
export async function sniffAudio(buffer: Buffer): Promise<string> {
  const type = await fileTypeFromBuffer(buffer);
  const ext = type && AUDIO_TYPES[type.ext];
  if (!ext) throw new UnsupportedAudio();
  return ext;
}

export function createUploadStore(dir: string) {
  return {
    /** Writes an audio file under a fresh random name; returns its URL. Throws UnsupportedAudio. */
    async save(buffer: Buffer): Promise<string> {
      const ext = await sniffAudio(buffer);
      await fs.mkdir(dir, { recursive: true });
      const name = `${crypto.randomBytes(16).toString('hex')}.${ext}`;
      await fs.writeFile(path.join(dir, name), buffer, { flag: 'wx' });
      return UPLOAD_URL_PREFIX + name;
    },
    /** Removes the file behind an upload URL (other URLs are left alone). */
    async remove(url: string): Promise<void> {
      const name = url.startsWith(UPLOAD_URL_PREFIX) ? url.slice(UPLOAD_URL_PREFIX.length) : '';
      if (UPLOAD_NAME.test(name)) await fs.rm(path.join(dir, name), { force: true });
    },
  };
}

export type UploadStore = ReturnType<typeof createUploadStore>;
