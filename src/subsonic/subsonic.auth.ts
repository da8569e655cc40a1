// Who a /rest request is: u with t and s (the token: md5 of the app password and the salt), u with
// p (the app password, plain or enc:HEX), or an OpenSubsonic apiKey — always an app password, never
// the account password. Failures count against limits of their own (accounts/login-limiter.ts).
import type { Request } from 'express';
import type { SubsonicCredentials } from '../app-passwords/app-passwords.service.js';
import { SubsonicError } from './subsonic.response.js';

/** A request's parameters: the query string and, for POST, the form body (a value given twice: its first). */
export function paramsOf(req: Request): Record<string, string | undefined> {
  const merged: Record<string, unknown> = { ...(req.body && typeof req.body === 'object' ? req.body : {}), ...req.query };
  return Object.fromEntries(
    Object.entries(merged).map(([key, value]) => [key, Array.isArray(value) ? String(value[0]) : value === undefined ? undefined : String(value)]),
  );
}

/** Every value a parameter was given (Subsonic repeats `id` for several songs). */
export function allOf(req: Request, name: string): string[] {
  const values = [req.query[name], req.body && typeof req.body === 'object' ? (req.body as Record<string, unknown>)[name] : undefined].flat();
  return values.filter((v) => v !== undefined).map(String);
}

/** The credentials a request carries, or the Subsonic error for what it carries instead. */
export function credentialsOf(params: Record<string, string | undefined>): SubsonicCredentials {
  const { u, p, t, s, apiKey } = params;
  if (apiKey !== undefined) {
    if (u !== undefined || p !== undefined || t !== undefined) throw new SubsonicError(43, 'Give an apiKey, or a username with a password or token: not both.');
    return { kind: 'apiKey', apiKey };
  }
  if (u === undefined) throw new SubsonicError(10, 'Required parameter is missing: u');
  if (t !== undefined && p !== undefined) throw new SubsonicError(43, 'Give a password or a token: not both.');
  if (t !== undefined) {
    if (s === undefined) throw new SubsonicError(10, 'Required parameter is missing: s');
    return { kind: 'token', username: u, token: t, salt: s };
  }
  if (p === undefined) throw new SubsonicError(10, 'Required parameter is missing: p or t and s');
  const password = p.startsWith('enc:') ? Buffer.from(p.slice(4), 'hex').toString('utf8') : p;
  return { kind: 'password', username: u, password };
}
