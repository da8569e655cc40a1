import { z } from 'zod';

/** What the player reports when a track starts. */
export const playBody = z.object({
  songId: z
    .number({ error: 'must be a song id (a whole number)' })
    .int('must be a whole number')
    .min(1, 'must be a song id')
    .max(2 ** 31 - 1, 'must be a song id'),
  genre: z
    .string({ error: 'must be "drug/mood"' })
    .regex(/^[a-z0-9-]{1,64}\/[a-z0-9-]{1,64}$/, 'must be "drug/mood"')
    .optional(),
  first: z.boolean({ error: 'must be true or false' }).optional(),
});

export type PlayBody = z.infer<typeof playBody>;
