// Audio uploads: parsed into memory for admins only (before the CSRF check, which needs the
// form's fields), checked by their bytes rather than their name, stored under generated names
// outside public/, and served with their real type, nosniff, and range requests for seeking.
import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { Router, type RequestHandler } from 'express';
import { fileTypeFromBuffer } from 'file-type';
import multer from 'multer';
import type { Config } from '../../config.js';
import { AppError, NotFound } from '../../http/errors.js';

/** What we accept, by the type sniffed from the file's first bytes. */
const AUDIO_TYPES: Record<string, string> = { mp3: 'mp3', ogg: 'ogg', m4a: 'm4a', mp4: 'm4a', wav: 'wav', flac: 'flac' };
const UPLOAD_NAME = /^[0-9a-f]{32}\.(mp3|ogg|m4a|wav|flac)$/;
export const UPLOAD_URL_PREFIX = '/media/uploads/';

/** multer, with its errors (which it answers with 500 by default) turned into 400 and 413. */
export function parseUploads(config: Readonly<Config>): RequestHandler {
  const upload = multer({
    storage: multer.memoryStorage(),
    limits: { fileSize: config.uploadMaxBytes, files: 1, fields: 100, parts: 110, fieldSize: 64 * 1024 },
  }).fields([
    { name: 'audio', maxCount: 1 },
    { name: 'file', maxCount: 1 },
  ]);
  return (req, res, next) => {
    if (!req.is('multipart/form-data')) return next();
    upload(req, res, (err: unknown) => {
      if (!err) return next();
      if (err instanceof multer.MulterError) {
        const tooLarge = err.code === 'LIMIT_FILE_SIZE';
        const message = tooLarge ? `The file is larger than ${config.uploadMaxBytes / 1024 / 1024} MB.` : `The upload was refused: ${err.message}.`;
        return next(new AppError(tooLarge ? 'file_too_large' : 'bad_upload', tooLarge ? 413 : 400, message));
      }
      next(new AppError('bad_upload', 400, 'The upload could not be read. Please try again.'));
    });
  };
}

export class UnsupportedAudio extends AppError {
  constructor() {
    super('unsupported_media_type', 415, 'must be an audio file: mp3, ogg, m4a, wav or flac');
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
    /** Writes the file under a fresh random name; returns its URL. */
    async save(buffer: Buffer, ext: string): Promise<string> {
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

export function createUploadsMediaRouter(dir: string): Router {
  const router = Router();
  router.get('/media/uploads/:name', (req, res, next) => {
    if (!UPLOAD_NAME.test(req.params.name)) return next(new NotFound('No such audio file'));
    res.sendFile(req.params.name, { root: dir, dotfiles: 'deny', maxAge: '365d', immutable: true, headers: { 'X-Content-Type-Options': 'nosniff' } }, (err) => {
      if (err && !res.headersSent) next(new NotFound('No such audio file'));
    });
  });
  return router;
}
