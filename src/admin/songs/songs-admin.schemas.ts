import { z } from 'zod';
import { blankToUndefined, idField, isHttpUrl, optionalText, optionalWholeNumber, requiredText, URL_MAX } from '../../http/fields.js';

const httpUrl = z.string().trim().max(URL_MAX, `must be at most ${URL_MAX} characters`).refine(isHttpUrl, 'must be an http:// or https:// URL');

export const songForm = z
  .object({
    title: requiredText(200),
    artist: requiredText(200),
    album: optionalText(200),
    year: optionalWholeNumber(1000, 2100, 'must be a year'),
    source: z.enum(['url', 'upload', 'keep'], { error: 'choose a URL or an upload' }),
    url: z.preprocess(blankToUndefined, httpUrl.optional()),
    genreIds: z.preprocess((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]), z.array(idField('genre')).min(1, 'pick at least one genre')),
  })
  .superRefine((form, ctx) => {
    if (form.source === 'url' && !form.url) ctx.addIssue({ code: 'custom', path: ['url'], message: 'is required' });
  });

export type SongForm = z.infer<typeof songForm>;

export const songSearch = z.object({
  q: z.preprocess(blankToUndefined, z.string({ error: 'must be one search' }).trim().max(100, 'is too long').optional()),
  genre: z.preprocess(blankToUndefined, idField('genre').optional()),
  after: z.preprocess(blankToUndefined, idField('song id').optional()),
});

export const songIdParams = z.object({ id: idField('song id') });
