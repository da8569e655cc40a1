// Multipart bodies (audio uploads, import files), parsed into memory. multer answers its own
// errors with 500 by default; here they become 400 and 413 like any other client mistake.
import type { RequestHandler } from 'express';
import multer from 'multer';
import type { Config } from '../config.js';
import { AppError } from './errors.js';

/** The file fields the admin's forms post: a song's audio, an import file. */
const FILE_FIELDS = [
  { name: 'audio', maxCount: 1 },
  { name: 'file', maxCount: 1 },
];

export function parseUploads(config: Readonly<Config>): RequestHandler {
  const upload = multer({
    storage: multer.memoryStorage(),
    limits: { fileSize: config.uploadMaxBytes, files: 1, fields: 100, parts: 110, fieldSize: 64 * 1024 },
  }).fields(FILE_FIELDS);
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

/** The file posted in this field, if any. */
export function uploadedFile(req: Express.Request, field: string): Express.Multer.File | undefined {
  return (req.files as Record<string, Express.Multer.File[] | undefined> | undefined)?.[field]?.[0];
}
