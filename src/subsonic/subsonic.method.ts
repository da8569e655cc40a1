// How a /rest method is registered: with and without `.view`, to GET and to a POSTed form. Each
// request proves who it is (an app password's owner); what the handler returns is sent in the
// Subsonic envelope, and whatever it throws as the Subsonic error a client understands.
import type { Request, Response, Router } from 'express';
import { z } from 'zod';
import { TooManyAttempts, type LoginLimiter } from '../accounts/login-limiter.js';
import type { AppPasswordsService } from '../app-passwords/app-passwords.service.js';
import { AppError, TooManyRequests } from '../lib/errors.js';
import { setRetryAfter } from '../http/rate-limit.js';
import type { UserPlaylistsService } from '../user-playlists/user-playlists.service.js';
import { allOf, credentialsOf, paramsOf } from './subsonic.auth.js';
import type { SubsonicListenerService } from './subsonic-listener.service.js';
import type { SubsonicPresenter } from './subsonic.present.js';
import type { SubsonicService } from './subsonic.service.js';
import { SubsonicError, sendSubsonic } from './subsonic.response.js';

export type Params = Record<string, string | undefined>;

/** How the request proved who it is: an apiKey, or a username with a password or token. */
export type AuthKind = 'apiKey' | 'password' | 'token';

/** Returns the answer's body; null when it answered itself (audio, artwork, a redirect). */
export type Handler = (req: Request, res: Response, params: Params, userId: number, auth: AuthKind) => Promise<unknown> | unknown;
/** `public`: answered without credentials (getOpenSubsonicExtensions, as OpenSubsonic requires). */
export type Method = (name: string, handler: Handler, options?: { public?: boolean }) => void;

/** What the methods of the subsonic-*.routes.ts files need. */
export interface MethodDeps {
  subsonic: SubsonicService;
  listener: SubsonicListenerService;
  present: SubsonicPresenter;
  playlists: UserPlaylistsService;
}

/** A whole number parameter in min..max, `fallback` when it is not given. */
export const wholeNumber = (min: number, max: number, fallback: number) =>
  z.preprocess((v) => (v === undefined ? fallback : Number(v)), z.number().int().min(min).max(max));

/** A method's parameters parsed; a missing one is error 10, a malformed one error 0. */
export function methodParams<S extends z.ZodObject>(schema: S, params: Params): z.infer<S> {
  const result = schema.safeParse(params);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const name = issue.path.join('.');
  if (params[name] === undefined) throw new SubsonicError(10, `Required parameter is missing: ${name}`);
  throw new SubsonicError(0, `Invalid parameter ${name}: ${issue.message}`);
}

/** The id of a song or playlist: missing is error 10; one that is no id names nothing (70). */
export function idOf(value: string | undefined, name: string, what: string): number {
  if (value === undefined) throw new SubsonicError(10, `Required parameter is missing: ${name}`);
  if (!/^[1-9]\d{0,9}$/.test(value)) throw new SubsonicError(70, `${what} not found`);
  return Number(value);
}

/** Every song id a request names under `name` (`id` may come several times). */
export const songIdsOf = (req: Request, name = 'id') => allOf(req, name).map((id) => idOf(id, name, 'Song'));

interface RegistrarDeps {
  appPasswords: AppPasswordsService;
  limiter: LoginLimiter;
  /** The account page's address, for the helpUrl of a refused password; undefined when the request's Host is unusable. */
  accountPage: (req: Request) => string | undefined;
}

/** Why a wrong password is refused: apps never take the account password (subsonic.auth.ts). */
const APP_PASSWORD_HINT = 'Apps sign in with an app password made on your account page (Your account → Listening in other apps), not your account password.';

export function createMethodRegistrar(router: Router, { appPasswords, limiter, accountPage }: RegistrarDeps): Method {
  /**
   * Who is asking. Apps send their credentials with every request, so only failures count, against
   * the apps' own limits (the website's login keeps its own): per IP, and per username or, for an
   * API key, per key. A spent limit refuses even the right password, as the web form does, with
   * the protocol's code for refused credentials (40, or 44 for an API key) and Retry-After.
   */
  async function listener(req: Request, res: Response, params: Params): Promise<{ userId: number; auth: AuthKind }> {
    const credentials = credentialsOf(params);
    const apiKey = credentials.kind === 'apiKey';
    const claimant = apiKey ? { apiKey: credentials.apiKey } : { username: credentials.username };
    const refused = (message: string) => new SubsonicError(apiKey ? 44 : 40, message, accountPage(req));
    try {
      await limiter.refuseAppIfSpent(claimant, req.ip ?? '');
    } catch (err) {
      if (!(err instanceof TooManyAttempts)) throw err;
      setRetryAfter(res, err);
      throw refused(err.message);
    }
    const userId = await appPasswords.authenticate(credentials);
    if (userId !== undefined) return { userId, auth: credentials.kind };
    await limiter.appFailed(claimant, req.ip ?? '');
    throw refused(apiKey ? `Invalid API key. ${APP_PASSWORD_HINT}` : `Wrong username or app password. ${APP_PASSWORD_HINT}`);
  }

  return (name, handler, options = {}) => {
    router.all([`/rest/${name}`, `/rest/${name}.view`], async (req, res, next) => {
      const params = paramsOf(req);
      try {
        const { userId, auth } = options.public ? { userId: 0, auth: 'password' as const } : await listener(req, res, params);
        const body = await handler(req, res, params, userId, auth);
        if (!res.headersSent && body !== null) sendSubsonic(req, res, (body ?? {}) as Record<string, unknown>);
      } catch (err) {
        if (res.headersSent) return next(err);
        sendSubsonic(req, res, {}, asSubsonicError(err, req, res));
      }
    });
  };
}

/** Everything a method throws, as the Subsonic error a client understands. */
function asSubsonicError(err: unknown, req: Request, res: Response): SubsonicError {
  if (err instanceof SubsonicError) return err;
  if (err instanceof TooManyRequests) {
    setRetryAfter(res, err);
    return new SubsonicError(0, err.message);
  }
  if (err instanceof AppError && err.status === 404) return new SubsonicError(70, err.message);
  if (err instanceof AppError && err.status === 403) return new SubsonicError(50, err.message);
  if (err instanceof AppError && err.status < 500) return new SubsonicError(0, err.message);
  req.log?.error({ err }, 'subsonic method failed');
  return new SubsonicError(0, 'Stereodose could not answer that right now; please try again.');
}
