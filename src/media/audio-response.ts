// Serve an in-memory buffer the way a static file server would, so <audio> can seek (Range requests)
// and revalidate (ETag) without the bytes ever touching the disk.
import type { Request, Response } from 'express';
import parseRange from 'range-parser';
import { bufferEtag, noneMatch } from '../http/etag.js';
import { NotFound } from '../lib/errors.js';
import type { MediaAudio } from './media.service.js';

/** Sends audio the media service named (200, 206, 304 or 416; HEAD without a body); resolves once it is sent. */
export function sendMediaAudio(req: Request, res: Response, audio: MediaAudio): Promise<void> {
  if ('body' in audio) {
    res.setHeader('Cache-Control', 'public, max-age=31536000, immutable');
    sendAudio(req, res, audio.body, audio.type, audio.etag);
    return Promise.resolve();
  }
  const { file, ...options } = audio;
  return new Promise((resolve, reject) =>
    res.sendFile(file, { dotfiles: 'deny', headers: { 'X-Content-Type-Options': 'nosniff' }, ...options }, (err) => {
      if (err && !res.headersSent) reject(new NotFound('No such audio file'));
      else resolve();
    }),
  );
}

/**
 * 200 with the whole body, 206 for a single satisfiable byte range, 416 for an unsatisfiable one,
 * 304 when If-None-Match matches; HEAD gets the same headers and no body. Pass `etag` if you have it.
 */
export function sendAudio(req: Request, res: Response, body: Buffer, contentType: string, etag: string = bufferEtag(body)): void {
  const size = body.length;
  res.setHeader('Accept-Ranges', 'bytes');
  res.setHeader('ETag', etag);
  res.setHeader('X-Content-Type-Options', 'nosniff');
  if (noneMatch(req.get('If-None-Match'), etag)) {
    res.status(304).end();
    return;
  }

  let start = 0;
  let end = size - 1;
  const range = req.get('Range');
  // If-Range: only honour the Range if the client's copy is this exact version (we have no dates).
  const ifRange = req.get('If-Range');
  if (range && (ifRange === undefined || ifRange === etag)) {
    const ranges = parseRange(size, range, { combine: true });
    if (ranges === -1) {
      res.removeHeader('Cache-Control'); // a caller's long max-age is for the file, not for this error
      res.status(416).setHeader('Content-Range', `bytes */${size}`);
      res.end();
      return;
    }
    // Malformed ranges, other units and multi-range requests (multipart/byteranges) get the whole body.
    if (ranges !== -2 && ranges.type === 'bytes' && ranges.length === 1) {
      ({ start, end } = ranges[0]!);
      res.status(206).setHeader('Content-Range', `bytes ${start}-${end}/${size}`);
    }
  }

  res.setHeader('Content-Type', contentType);
  res.setHeader('Content-Length', end - start + 1);
  if (req.method === 'HEAD') res.end();
  else res.end(body.subarray(start, end + 1));
}
