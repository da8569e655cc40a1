import type { z } from 'zod';
import { type FieldErrors, NotFound, ValidationFailed } from '../lib/errors.js';

/** Parses input with a zod schema; a failure names each bad field (ValidationFailed, 400). */
export function parse<S extends z.ZodType>(schema: S, input: unknown): z.infer<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const fields: FieldErrors = {};
  for (const issue of result.error.issues) {
    const field = issue.path.join('.') || '_';
    fields[field] ??= issue.message;
  }
  throw new ValidationFailed(fields);
}

/** Route parameters (ids in a URL) that do not parse name nothing: 404, like any unknown page. */
export function parseParams<S extends z.ZodType>(schema: S, params: unknown, notFound: string): z.infer<S> {
  const result = schema.safeParse(params);
  if (!result.success) throw new NotFound(notFound);
  return result.data;
}
