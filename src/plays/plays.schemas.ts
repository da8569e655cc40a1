import { z } from 'zod';

/** The longest track position a skip may report: a day. */
const MAX_SECONDS = 86_400;

/**
 * What the player reports: a track that started playing (`kind` "play", the default), one the
 * listener moved on from before it ended ("skip", with the `seconds` it had played), or one that
 * could not be loaded ("failure").
 */
export const playBody = z
  .object({
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
    kind: z.enum(['play', 'skip', 'failure'], { error: 'must be "play", "skip" or "failure"' }).optional(),
    seconds: z
      .number({ error: 'must be whole seconds (0 or more)' })
      .int('must be whole seconds')
      .min(0, 'must be 0 or more')
      .max(MAX_SECONDS, `must be at most ${MAX_SECONDS}`)
      .optional(),
  })
  .superRefine((body, ctx) => {
    if (body.kind === 'skip' && body.seconds === undefined) ctx.addIssue({ code: 'custom', path: ['seconds'], message: 'is required for a skip' });
    if (body.kind !== 'skip' && body.seconds !== undefined) ctx.addIssue({ code: 'custom', path: ['seconds'], message: 'is only for a skip' });
  });

export type PlayBody = z.infer<typeof playBody>;
