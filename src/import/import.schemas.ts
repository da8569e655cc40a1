import { z } from 'zod';

const optionalText = (max: number) =>
  z.preprocess((v) => (v === '' || v == null ? undefined : v), z.string().trim().max(max, `must be at most ${max} characters`).optional());
const optionalInt = (min: number, max: number) =>
  z.preprocess(
    (v) => (v === '' || v == null ? undefined : typeof v === 'string' ? Number(v) : v),
    z.number({ error: 'must be a whole number' }).int('must be a whole number').min(min).max(max).optional(),
  );

/** http(s) with a host: javascript:, data:, file: and friends never reach a listener's browser. */
export function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && Boolean(url.hostname);
  } catch {
    return false;
  }
}

/** An audio source: http(s) only, or a path on this site (the demo and upload routes). */
export const audioUrl = z
  .string({ error: 'is required' })
  .trim()
  .min(1, 'is required')
  .max(700, 'must be at most 700 characters')
  .refine((value) => (/^\/media\/[A-Za-z0-9/_.-]+$/.test(value) && !value.includes('..')) || isHttpUrl(value), 'must be an http(s) URL');

const required = (max: number) => z.string({ error: 'is required' }).trim().min(1, 'is required').max(max, `must be at most ${max} characters`);

/** One song in one genre, as a line of an import file. Extra columns are ignored. */
export const importRecord = z.object({
  title: required(200),
  artist: required(200),
  url: audioUrl,
  drug: required(64).toLowerCase(),
  mood: required(64).toLowerCase(),
  album: optionalText(200),
  year: optionalInt(1000, 2100),
  duration: optionalInt(1, 24 * 3600),
});

export type ImportRecord = z.infer<typeof importRecord>;
