// zod fields that several capabilities' schemas share. Form and query values arrive as strings, or
// as arrays when a field is repeated (`?limit=5&limit=6`): z.string() refuses arrays, so every
// field here names the mistake instead of taking the first value.
import { z } from 'zod';

/** An empty or blank text box (or a missing JSON value) means "not given". */
export const blankToUndefined = (v: unknown) => ((typeof v === 'string' && v.trim() === '') || v === null ? undefined : v);

/**
 * Control characters (a tab, a line break, NUL, escape…) and U+FFFE/U+FFFF: no text people read
 * holds them, and XML cannot carry them (a Subsonic answer naming such a title would not parse).
 */
const CONTROL_CHARACTER = /[\p{Cc}\uFFFE\uFFFF]/u;

/** Trimmed text of 1..max characters, on one line, with no control character. */
export const requiredText = (max: number) =>
  z
    .string({ error: 'is required' })
    .trim()
    .min(1, 'is required')
    .max(max, `must be at most ${max} characters`)
    .refine((v) => !CONTROL_CHARACTER.test(v), 'must not contain control characters such as tabs or line breaks');

/** requiredText, or nothing when left blank. */
export const optionalText = (max: number) => z.preprocess(blankToUndefined, requiredText(max).optional());

/** A whole number in min..max given as text or a number, or nothing when left blank. */
export const optionalWholeNumber = (min: number, max: number, message = `must be a whole number from ${min} to ${max}`) =>
  z.preprocess((v) => {
    const given = blankToUndefined(v);
    return typeof given === 'string' ? Number(given) : given;
  }, z.number({ error: message }).int(message).min(min, message).max(max, message).optional());

/** A name people read (a drug, a mood, a playlist): NFC, trimmed, 1..max characters, one line. */
export const displayName = (max: number) =>
  z
    .string({ error: 'is required' })
    .transform((v) => v.normalize('NFC').trim())
    .pipe(
      z
        .string()
        .min(1, 'is required')
        .max(max, `must be at most ${max} characters`)
        .regex(/^[^\p{Cc}]*$/u, 'must not contain control characters'),
    );

/** Only one run of digits that fits an INT column is an id. */
export const idField = (what: string) =>
  z
    .string({ error: `must be a single ${what}` })
    .regex(/^[1-9]\d{0,9}$/, `is not a ${what}`)
    .transform(Number)
    .pipe(z.number().max(2 ** 31 - 1, `is not a ${what}`));

/** http(s) with a host: javascript:, data:, file: and friends never reach a listener's browser. */
export function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && Boolean(url.hostname);
  } catch {
    return false;
  }
}

/** The longest audio URL the songs table holds. */
export const URL_MAX = 700;
