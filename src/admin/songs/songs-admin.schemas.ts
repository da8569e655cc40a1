import { z } from 'zod';
import { idField } from '../../http/validate.js';
import { isHttpUrl } from '../../import/import.schemas.js';

const text = (max: number) => z.string({ error: 'is required' }).trim().min(1, 'is required').max(max, `must be at most ${max} characters`);
const blankToUndefined = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);

const httpUrl = z.string().trim().max(700, 'must be at most 700 characters').refine(isHttpUrl, 'must be an http:// or https:// URL');

export const songForm = z
  .object({
    title: text(200),
    artist: text(200),
    album: z.preprocess(blankToUndefined, text(200).optional()),
    year: z.preprocess(
      blankToUndefined,
      z.coerce.number({ error: 'must be a year' }).int('must be a year').min(1000, 'must be a year').max(2100, 'must be a year').optional(),
    ),
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
