// The URL parameters of the link-preview images.
import { z } from 'zod';
import { idField } from '../http/fields.js';

export const songParams = z.object({ id: idField('song id') });
