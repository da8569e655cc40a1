// The domain's errors, each with a stable code and status. Services (and the handlers that parse
// input) throw them; repositories never do: they return data or nothing. The web layer alone turns
// them into a page, a re-rendered form, a redirect to log in, JSON or a Subsonic envelope
// (http/error-handler.ts, subsonic/).
import { fieldList } from './field-labels.js';

/** Field name → message, for the form (or JSON client) that sent the field. */
export type FieldErrors = Record<string, string>;

export interface AppErrorOptions {
  /** Which fields were wrong, and why. */
  fields?: FieldErrors;
  /** More for JSON clients, merged into `error` (e.g. `login`, the URL to log in at). */
  details?: Record<string, unknown>;
}

export class AppError extends Error {
  readonly fields?: FieldErrors;
  readonly details?: Record<string, unknown>;

  constructor(
    readonly code: string,
    readonly status: number,
    message: string,
    options: AppErrorOptions = {},
  ) {
    super(message);
    this.name = new.target.name;
    this.fields = options.fields;
    this.details = options.details;
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

/** The request clashes with what is there: a name taken, a playlist full, a mood still holding songs. */
export class Conflict extends AppError {
  constructor(message: string, fields?: FieldErrors) {
    super('conflict', 409, message, { fields });
  }
}

/** Input that does not parse, or breaks a rule; `status` for the few that have their own (415). */
export class ValidationFailed extends AppError {
  constructor(fields: FieldErrors, options: { status?: number; code?: string } = {}) {
    super(options.code ?? 'validation_failed', options.status ?? 400, `Please check ${fieldList(Object.keys(fields))}.`, { fields });
  }
}

/** Credentials that name nobody, or the wrong password: one answer for both. */
export class InvalidCredentials extends AppError {
  constructor() {
    super('invalid_credentials', 401, 'Wrong username or password.');
  }
}

/** An anonymous visitor asked for a listener's page: pages redirect to log in, JSON gets 401. */
export class LoginRequired extends AppError {
  constructor(readonly loginUrl: string) {
    super('login_required', 401, 'Log in to do that.', { details: { login: loginUrl } });
  }
}

/** A rate limit is spent; the client may try again after `retryAfterSeconds` (the Retry-After header). */
export class TooManyRequests extends AppError {
  constructor(
    code: string,
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(code, 429, message);
  }
}

/** How long a 503 asks the client to wait before trying again (the Retry-After header). */
export const RETRY_AFTER_SECONDS = '5';

/** The database is overloaded, locked past our retries, or unreachable: ask the client to come back. */
export class ServiceBusy extends AppError {
  constructor(message = 'Stereodose is busy right now; please try again in a moment.') {
    super('busy', 503, message);
  }
}

/** "Try again in 13 minutes." (or "in a minute", or "in 40 seconds") for a wait of this many seconds. */
export function tryAgainIn(seconds: number): string {
  if (seconds <= 1) return 'Try again in a second.';
  if (seconds < 60) return `Try again in ${Math.ceil(seconds)} seconds.`;
  const minutes = Math.ceil(seconds / 60);
  return minutes === 1 ? 'Try again in a minute.' : `Try again in ${minutes} minutes.`;
}
