import { z } from 'zod';
import { isCommonPassword } from './passwords.js';

/** What makes two usernames the same person: NFKC, trimmed, lower-cased. */
export const normalizeUsername = (username: string) => username.normalize('NFKC').trim().toLowerCase();

const username = z
  .string({ error: 'is required' })
  .transform((v) => v.normalize('NFKC').trim())
  .pipe(
    z
      .string()
      .min(3, 'must be at least 3 characters')
      .max(32, 'must be at most 32 characters')
      .regex(/^[\p{L}\p{N}_.-]+$/u, 'may use letters, digits, “_”, “.” and “-”'),
  );

/** A password being chosen: registration, a change, a reset. */
export const newPassword = z
  .string({ error: 'is required' })
  .min(8, 'must be at least 8 characters')
  .max(256, 'must be at most 256 characters')
  .refine((p) => !isCommonPassword(p), 'is one of the most common passwords; choose another');

const optionalEmail = z.preprocess(
  (v) => (typeof v === 'string' && v.trim() === '' ? undefined : typeof v === 'string' ? v.trim() : v),
  z.email('must be an email address').max(254, 'must be at most 254 characters').optional(),
);

// z.object strips unknown keys: a posted is_admin=1 never reaches the database.
export const registerForm = z.object({ username, password: newPassword, email: optionalEmail });

export const loginForm = z.object({
  username: z.string({ error: 'is required' }).trim().min(1, 'is required').max(64, 'is too long'),
  password: z.string({ error: 'is required' }).min(1, 'is required').max(256, 'is too long'),
});

export const changePasswordForm = z.object({
  currentPassword: z.string({ error: 'is required' }).min(1, 'is required').max(256, 'is too long'),
  newPassword,
});

/** The account's password, typed again to confirm a change. */
export const accountPassword = z.string({ error: 'is required' }).min(1, 'is required').max(256, 'is too long');

export const deleteAccountForm = z.object({ password: accountPassword });

/** A new email address (empty: none), confirmed with the password. */
export const changeEmailForm = z.object({ email: optionalEmail, emailPassword: accountPassword });
