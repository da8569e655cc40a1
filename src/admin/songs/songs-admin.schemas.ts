import { z } from 'zod';
import { blankToUndefined, idField, isHttpUrl, optionalText, optionalWholeNumber, requiredText, URL_MAX } from '../../http/fields.js';
import { UPLOAD_NAME } from '../../media/upload-store.js';

const httpUrl = z.string().trim().max(URL_MAX, `must be at most ${URL_MAX} characters`).refine(isHttpUrl, 'must be an http:// or https:// URL');

export const songForm = z
  .object({
    title: requiredText(200),
    artist: requiredText(200),
    album: optionalText(200),
    year: optionalWholeNumber(1000, 2100, 'must be a year'),
    track: optionalWholeNumber(1, 9999, 'must be a track number from 1 to 9999'),
    // `pending`: the file read by the upload step (its tags filled this form), kept until confirmed.
    source: z.enum(['url', 'upload', 'keep', 'pending'], { error: 'choose a URL or an upload' }),
    url: z.preprocess(blankToUndefined, httpUrl.optional()),
    pending: z.preprocess(blankToUndefined, z.string().optional().catch('not a token')),
    genreIds: z.preprocess((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]), z.array(idField('genre')).min(1, 'pick at least one genre')),
  })
  .superRefine((form, ctx) => {
    if (form.source === 'url' && !form.url) ctx.addIssue({ code: 'custom', path: ['url'], message: 'is required' });
    // Said on the audio field, where the form shows the file: the token itself is hidden.
    if (form.source === 'pending' && !form.pending) ctx.addIssue({ code: 'custom', path: ['audio'], message: 'choose a file to upload' });
    if (form.source === 'pending' && form.pending && !UPLOAD_NAME.test(form.pending)) {
      ctx.addIssue({ code: 'custom', path: ['audio'], message: 'is not a file read here: upload it again' });
    }
  });

export type SongForm = z.infer<typeof songForm>;

export const songSearch = z.object({
  q: z.preprocess(blankToUndefined, z.string({ error: 'must be one search' }).trim().max(100, 'is too long').optional()),
  genre: z.preprocess(blankToUndefined, idField('genre').optional()),
  after: z.preprocess(blankToUndefined, idField('song id').optional()),
});

export const songIdParams = z.object({ id: idField('song id') });

/** A pending upload's token in a URL (its cover's preview). */
export const pendingParams = z.object({ token: z.string().regex(UPLOAD_NAME) });
