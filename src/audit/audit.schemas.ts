import { z } from 'zod';
import { blankToUndefined } from '../http/fields.js';

/** A filter box: blank means "any"; a repeated parameter (an array) is refused by z.string(). */
const filterText = (pattern: RegExp, max: number, what: string) =>
  z.preprocess(
    blankToUndefined,
    z
      .string({ error: `must be a single ${what}` })
      .trim()
      .max(max, `must be at most ${max} characters`)
      .regex(pattern, `is not ${what}`)
      .optional(),
  );

export const auditQuery = z.object({
  action: filterText(/^[a-z_]+(\.[a-z_]+)?$/, 64, 'an action such as song.update'),
  type: filterText(/^[a-z_]+$/, 32, 'a record type such as song'),
  id: filterText(/^[A-Za-z0-9_-]+$/, 64, 'a record id'),
  actor: filterText(/^[^\p{Cc}]+$/u, 64, 'a username'),
  page: z.preprocess(
    blankToUndefined,
    z
      .string({ error: 'must be a single page number' })
      .regex(/^[1-9]\d{0,5}$/, 'must be a page number')
      .transform(Number)
      .optional()
      .transform((v) => v ?? 1),
  ),
});
