import { z } from 'zod';
import { accountPassword } from '../accounts/accounts.schemas.js';
import { displayName, idField } from '../http/fields.js';

export const APP_PASSWORD_NAME_MAX = 64;
/** A device's name, and the account password unless the listener logged in a few minutes ago. */
export const appPasswordForm = z.object({
  name: displayName(APP_PASSWORD_NAME_MAX),
  accountPassword: z.preprocess((v) => (v === '' ? undefined : v), accountPassword.optional()),
});
export const appPasswordParams = z.object({ id: idField('app password id') });
