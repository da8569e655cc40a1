import { z } from 'zod';
import { idField } from '../http/fields.js';

export const songParams = z.object({ songId: idField('song id') });

export const pageQuery = z.object({
  page: z
    .string({ error: 'must be a single page number' })
    .regex(/^\d{1,6}$/, 'must be a page number')
    .transform(Number)
    .pipe(z.number().min(1, 'must be a page number'))
    .optional(),
});
