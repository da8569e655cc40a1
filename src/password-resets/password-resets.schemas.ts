import { z } from 'zod';
import { newPassword } from '../accounts/accounts.schemas.js';

export const forgotForm = z.object({
  identifier: z.string({ error: 'is required' }).trim().min(1, 'is required').max(254, 'is too long'),
});

// The same rules as registration's.
export const resetForm = z.object({ password: newPassword });
