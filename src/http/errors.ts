// Errors with a stable code and HTTP status; the error handler turns them into pages or JSON.
export class AppError extends Error {
  constructor(
    readonly code: string,
    readonly status: number,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class NotFound extends AppError {
  constructor(message = 'Not found') {
    super('not_found', 404, message);
  }
}

export class Forbidden extends AppError {
  constructor(message = 'You are not allowed to do that') {
    super('forbidden', 403, message);
  }
}

export class Conflict extends AppError {
  constructor(message: string) {
    super('conflict', 409, message);
  }
}

/** Where a form error is shown again: the template and its extra locals (e.g. its title). */
export interface FormView {
  view: string;
  locals?: Record<string, unknown>;
}

/** Field name → message. `values` are what the user typed, so a form can be shown again. */
export class ValidationFailed extends AppError {
  constructor(
    readonly fields: Record<string, string>,
    readonly values: Record<string, unknown> = {},
    readonly form?: FormView,
  ) {
    super('validation_failed', 400, `Please check ${Object.keys(fields).join(', ')}.`);
  }
}

/** How long a 503 asks the client to wait before trying again (the Retry-After header). */
export const RETRY_AFTER_SECONDS = '5';

/** The database is overloaded or locked past our retries: ask the client to come back. */
export class ServiceBusy extends AppError {
  constructor(message = 'Stereodose is busy right now; please try again in a moment.') {
    super('busy', 503, message);
  }
}
