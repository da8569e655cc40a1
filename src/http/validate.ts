import type { z } from 'zod';
import { ValidationFailed } from './errors.js';

/** Parses input with a zod schema; failures name each bad field and keep what the user sent. */
export function parse<S extends z.ZodType>(schema: S, input: unknown): z.infer<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const fields: Record<string, string> = {};
  for (const issue of result.error.issues) {
    const field = issue.path.join('.') || '_';
    fields[field] ??= issue.message;
  }
  throw new ValidationFailed(fields, typeof input === 'object' && input !== null ? { ...input } : {});
}
