import { z } from 'zod';
import type { Response } from 'express';
import { NotFound, ValidationFailed, type FormView } from './errors.js';

/** Parses input with a zod schema; failures name each bad field and keep what the user sent. */
export function parse<S extends z.ZodType>(schema: S, input: unknown, form?: FormView): z.infer<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const fields: Record<string, string> = {};
  for (const issue of result.error.issues) {
    const field = issue.path.join('.') || '_';
    fields[field] ??= issue.message;
  }
  throw new ValidationFailed(fields, typeof input === 'object' && input !== null ? { ...input } : {}, form);
}

// Ids arrive as strings (or arrays when a field is repeated): only one run of digits that fits an
// INT column is an id.
export const idField = (what: string) =>
  z
    .string({ error: `must be a single ${what}` })
    .regex(/^[1-9]\d{0,9}$/, `is not a ${what}`)
    .transform(Number)
    .pipe(z.number().max(2 ** 31 - 1, `is not a ${what}`));

/** Route parameters (ids in a URL) that do not parse name nothing: 404, like any unknown page. */
export function parseParams<S extends z.ZodType>(schema: S, params: unknown, notFound: string): z.infer<S> {
  const result = schema.safeParse(params);
  if (!result.success) throw new NotFound(notFound);
  return result.data;
}

export interface FormState {
  status?: number;
  values?: Record<string, unknown>;
  errors?: Record<string, string>;
  message?: string;
}

/** Renders a form page; whatever the user typed comes back, except passwords and the CSRF token. */
export function renderForm(res: Response, form: FormView, state: FormState = {}): void {
  const values = Object.fromEntries(Object.entries(state.values ?? {}).filter(([key]) => !/password|^_csrf$/i.test(key)));
  res.status(state.status ?? 200).render(form.view, {
    ...form.locals,
    values,
    errors: state.errors ?? {},
    message: state.message,
  });
}
