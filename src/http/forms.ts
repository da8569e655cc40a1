// Form pages. A route that takes a form names, before its handler, the page that shows the form
// (`showsForm(view)`); when the handler throws a refusal — invalid fields, a name taken, too many
// attempts, wrong credentials — the error handler renders that page again with the message, the
// fields' messages and what the user typed. No handler renders an error itself.
import type { Request, RequestHandler, Response } from 'express';

/** A page with a form: its template, its locals (title, options…) and its fields' initial values. */
export interface FormView {
  view: string;
  locals?: Record<string, unknown>;
  /** Values shown before the user typed anything (the record being edited); what they typed replaces them. */
  values?: Record<string, unknown>;
}

/** The form page, or how to build it for this request (it may need the record the URL names). */
export type FormSource = FormView | ((req: Request) => FormView | Promise<FormView>);

export interface FormState {
  status?: number;
  values?: Record<string, unknown>;
  errors?: Record<string, string>;
  message?: string;
}

/** Statuses that refuse what the form sent, so the form is shown again; others get the error page. */
const REFUSALS = new Set([400, 401, 409, 413, 415, 429]);

/** The route's form, and its URL parameters: express has reset req.params by the time the error handler runs. */
const forms = new WeakMap<Request, { source: FormSource; params: Request['params'] }>();

/** Names the page that shows this route's form again when the handler refuses it. */
export const showsForm =
  (source: FormSource): RequestHandler =>
  (req, _res, next) => {
    forms.set(req, { source, params: { ...req.params } });
    next();
  };

/** The form page to show `status` on, for this request; undefined when it has none. */
export async function refusedForm(req: Request, status: number): Promise<FormView | undefined> {
  const form = forms.get(req);
  if (!form || !REFUSALS.has(status)) return undefined;
  if (typeof form.source !== 'function') return form.source;
  const current = req.params;
  req.params = form.params; // the page is built as the route saw the request
  try {
    return await form.source(req);
  } finally {
    req.params = current;
  }
}

/** Renders a form page; whatever the user typed comes back, except passwords and the CSRF token. */
export function renderForm(res: Response, form: FormView, state: FormState = {}): void {
  const typed = state.values ?? form.values ?? {};
  const values = Object.fromEntries(Object.entries(typed).filter(([key]) => !/password|^_csrf$/i.test(key)));
  res.status(state.status ?? 200).render(form.view, {
    ...form.locals,
    values,
    errors: state.errors ?? {},
    message: state.message,
  });
}
