import { z } from 'zod';
import { displayName, idField } from '../../http/fields.js';

export const NAME_MAX = 64;
export const DESCRIPTION_MAX = 255;
/** The colour a new drug's form starts with. */
export const DEFAULT_COLOR = '#7c5cff';
/** Room left in the 64-character slug column for a "-2", "-3"… suffix. */
const SLUG_BASE_MAX = 56;

const name = displayName(NAME_MAX);

const description = z
  .string({ error: 'must be text' })
  .transform((v) => v.normalize('NFC').trim())
  .pipe(
    z
      .string()
      .max(DESCRIPTION_MAX, `must be at most ${DESCRIPTION_MAX} characters`)
      .regex(/^[^\p{Cc}]*$/u, 'must not contain control characters'),
  )
  .optional()
  .transform((v) => v ?? '');

const color = z
  .string({ error: 'is required' })
  .trim()
  .regex(/^#[0-9a-fA-F]{6}$/, 'must be a colour like #7c5cff')
  .transform((v) => v.toLowerCase());

// z.object strips unknown keys: only these fields ever reach the database.
export const drugForm = z.object({ name, description, color });
export const moodForm = z.object({ name, description });
export const moveForm = z.object({ direction: z.enum(['up', 'down'], { error: 'must be up or down' }) });
export const visibilityForm = z.object({
  hidden: z.enum(['0', '1'], { error: 'must be 0 or 1' }).transform((v) => v === '1'),
});

export const drugParams = z.object({ drugId: idField('drug id') });
export const moodParams = z.object({ drugId: idField('drug id'), moodId: idField('mood id') });

export type DrugForm = z.infer<typeof drugForm>;
export type MoodForm = z.infer<typeof moodForm>;

/**
 * The URL name of a drug or mood: lower-case ASCII letters and digits joined by dashes.
 * Accents are dropped (Café → cafe), apostrophes vanish (Groovin' → groovin), anything else
 * separates words (Thug Life → thug-life). A name with no usable letters gets `fallback`.
 */
export function slugify(text: string, fallback: string): string {
  const slug = text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/['’‘`´]/g, '')
    .replace(/[^a-z0-9]+/g, '-')
    .slice(0, SLUG_BASE_MAX)
    .replace(/^-+|-+$/g, '');
  return slug || fallback;
}

/** The first of `base`, `base-2`, `base-3`… that is not taken. */
export function uniqueSlug(base: string, taken: ReadonlySet<string>): string {
  if (!taken.has(base)) return base;
  for (let n = 2; ; n++) {
    const candidate = `${base}-${n}`;
    if (!taken.has(candidate)) return candidate;
  }
}
