// Multipart bodies (audio uploads, import files), streamed to temp files so that no upload is ever
// held in memory whole. multer answers its own errors with 500 by default; here they become 400 and
// 413 like any other client mistake.
import fs from 'node:fs/promises';
import type { Request, RequestHandler } from 'express';
import multer from 'multer';
import { AppError } from '../lib/errors.js';

/** The file fields the admin's forms post: a song's audio, an import file. */
const FILE_FIELDS = [
  { name: 'audio', maxCount: 1 },
  { name: 'file', maxCount: 1 },
];

/** A posted file, as the services see it: where its temp file is, until the response is over. */
export interface UploadedFile {
  path: string;
  size: number;
  originalName: string;
}

/** The temp files multer has finished writing (a file still arriving is a placeholder without a path). */
const tempFiles = (req: Request): string[] =>
  Object.values((req.files as Record<string, Partial<Express.Multer.File>[]> | undefined) ?? {})
    .flat()
    .flatMap((file) => (file.path ? [file.path] : []));

export function parseUploads({ tempDir, maxBytes }: { tempDir: string; maxBytes: number }): RequestHandler {
  const upload = multer({
    storage: multer.diskStorage({
      // Made again if someone emptied UPLOAD_DIR while we ran; the name is multer's random hex.
      destination: (_req, _file, cb) => {
        fs.mkdir(tempDir, { recursive: true }).then(
          () => cb(null, tempDir),
          (err: Error) => cb(err, tempDir),
        );
      },
    }),
    limits: { fileSize: maxBytes, files: 1, fields: 100, parts: 110, fieldSize: 64 * 1024 },
  }).fields(FILE_FIELDS);
  return (req, res, next) => {
    if (!req.is('multipart/form-data')) return next();
    // multer removes what it was writing when the limit is hit or the client goes; this removes the
    // rest once the response is over, sent or abandoned: a kept upload has been renamed by then.
    res.once('close', () => {
      for (const file of tempFiles(req)) {
        fs.rm(file, { force: true }).catch((err: unknown) => req.log?.warn({ err }, 'could not remove a temp upload'));
      }
    });
    upload(req, res, (err: unknown) => {
      if (!err) return next();
      if (err instanceof multer.MulterError) {
        const tooLarge = err.code === 'LIMIT_FILE_SIZE';
        const message = tooLarge ? `The file is larger than ${maxBytes / 1024 / 1024} MB.` : `The upload was refused: ${err.message}.`;
        return next(new AppError(tooLarge ? 'file_too_large' : 'bad_upload', tooLarge ? 413 : 400, message));
      }
      next(new AppError('bad_upload', 400, 'The upload could not be read. Please try again.'));
    });
  };
}

/** The file posted in this field, if any. */
export function uploadedFile(req: Request, field: string): UploadedFile | undefined {
  const file = (req.files as Record<string, Express.Multer.File[] | undefined> | undefined)?.[field]?.[0];
  return file && { path: file.path, size: file.size, originalName: file.originalname };
}
