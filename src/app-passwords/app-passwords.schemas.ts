import { z } from 'zod';
import { displayName, idField } from '../http/fields.js';

export const APP_PASSWORD_NAME_MAX = 64;
export const appPasswordForm = z.object({ name: displayName(APP_PASSWORD_NAME_MAX) });
export const appPasswordParams = z.object({ id: idField('app password id') });
