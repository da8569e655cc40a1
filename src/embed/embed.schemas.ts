import { z } from 'zod';
import { optionalWholeNumber, URL_MAX } from '../http/fields.js';

// Sizes an embed consumer may ask for; below these the player cannot show its controls.
export const MIN_WIDTH = 280;
export const MIN_HEIGHT = 120;

/** `/oembed?url=…&format=json&maxwidth=…&maxheight=…` (oembed.com, section 2.2). */
export const oembedQuery = z.object({
  url: z
    .string({ error: 'is required: the address of a Stereodose page' })
    .trim()
    .min(1, 'is required: the address of a Stereodose page')
    .max(URL_MAX, `must be at most ${URL_MAX} characters`),
  format: z.enum(['json', 'xml'], { error: 'must be json' }).optional(),
  maxwidth: optionalWholeNumber(MIN_WIDTH, 10_000, `must be a whole number of pixels, at least ${MIN_WIDTH}`),
  maxheight: optionalWholeNumber(MIN_HEIGHT, 10_000, `must be a whole number of pixels, at least ${MIN_HEIGHT}`),
});
