import { z } from 'zod';
import { idField } from '../http/fields.js';

const returnTo = z.string({ error: 'must be a single path' }).max(2000, 'is too long').optional();

export const hideForm = z.object({ songId: idField('song id'), genreId: idField('genre id'), returnTo });
export const hiddenParams = z.object({ genreId: idField('genre id'), songId: idField('song id') });
