import { z } from 'zod';
import { isHttpUrl, optionalText, optionalWholeNumber, requiredText, URL_MAX } from '../http/fields.js';

/** An audio source: http(s) only, or a path on this site (the demo and upload routes). */
const audioUrl = z
  .string({ error: 'is required' })
  .trim()
  .min(1, 'is required')
  .max(URL_MAX, `must be at most ${URL_MAX} characters`)
  .refine((value) => (/^\/media\/[A-Za-z0-9/_.-]+$/.test(value) && !value.includes('..')) || isHttpUrl(value), 'must be an http(s) URL');

/** One song in one genre, as a line of an import file. Extra columns are ignored. */
export const importRecord = z.object({
  title: requiredText(200),
  artist: requiredText(200),
  url: audioUrl,
  drug: requiredText(64).toLowerCase(),
  mood: requiredText(64).toLowerCase(),
  album: optionalText(200),
  year: optionalWholeNumber(1000, 2100),
  duration: optionalWholeNumber(1, 24 * 3600),
});

export type ImportRecord = z.infer<typeof importRecord>;
