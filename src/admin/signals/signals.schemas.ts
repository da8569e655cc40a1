import { z } from 'zod';

/** The periods the signals page offers, in days ending today (UTC). */
export const PERIODS = [7, 30, 90] as const;
export const DEFAULT_PERIOD = 30;

export const signalsQuery = z.object({
  days: z
    .enum(['7', '30', '90'], { error: `must be one of ${PERIODS.join(', ')}` })
    .transform(Number)
    .optional(),
});
