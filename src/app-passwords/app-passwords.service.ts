// App passwords for Subsonic apps: made on the account page (shown once), several per account,
// each named for its device and revocable; checked for every /rest request in the three ways the
// protocol allows — a token (md5 of password + salt), the password itself (plain or enc:HEX), or an
// OpenSubsonic apiKey. The account password never opens /rest.
import { createHash, timingSafeEqual } from 'node:crypto';
import { normalizeUsername } from '../accounts/accounts.schemas.js';
import { NotFound } from '../lib/errors.js';
import type { AppPasswordsRepository } from './app-passwords.repository.js';
import { digestOf, newAppPassword, type Sealer } from './sealing.js';

/** How a request proves who it is. */
export type SubsonicCredentials =
  | { kind: 'token'; username: string; token: string; salt: string }
  | { kind: 'password'; username: string; password: string }
  | { kind: 'apiKey'; apiKey: string };

const md5 = (text: string) => createHash('md5').update(text, 'utf8').digest('hex');
const same = (a: string, b: string) => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

export function createAppPasswordsService({ passwords, sealer }: { passwords: AppPasswordsRepository; sealer: Sealer }) {
  const unknownUsersSeal = sealer.seal(newAppPassword());
  /** The user id these credentials prove, or undefined. */
  async function authenticate(credentials: SubsonicCredentials): Promise<number | undefined> {
    if (credentials.kind === 'apiKey') {
      const row = await passwords.byDigest(digestOf(credentials.apiKey));
      const opened = row && sealer.open(row.sealed);
      if (!row || !opened || !same(opened.plain, credentials.apiKey)) return undefined;
      await passwords.used(row.id, opened.stale ? sealer.seal(opened.plain) : undefined);
      return row.userId;
    }
    const user = await passwords.byUsername(normalizeUsername(credentials.username));
    if (!user) {
      sealer.open(unknownUsersSeal); // what a known user's wrong guess costs at least: no faster "no such user"
      return undefined;
    }
    for (const row of user.passwords) {
      const opened = sealer.open(row.sealed);
      if (!opened) continue;
      const matches =
        credentials.kind === 'token' ? same(md5(opened.plain + credentials.salt), credentials.token.toLowerCase()) : same(opened.plain, credentials.password);
      if (!matches) continue;
      await passwords.used(row.id, opened.stale ? sealer.seal(opened.plain) : undefined);
      return user.userId;
    }
    return undefined;
  }

  return {
    authenticate,

    /** A new app password for this device; the only time it is shown. */
    async create(userId: number, name: string): Promise<{ id: number; name: string; password: string }> {
      const password = newAppPassword();
      const id = await passwords.insert(userId, name, sealer.seal(password), digestOf(password));
      return { id, name, password };
    },

    list: (userId: number) => passwords.listByUser(userId),

    async revoke(userId: number, id: number): Promise<void> {
      if (!(await passwords.revoke(userId, id))) throw new NotFound('There is no such app password.');
    },
  };
}

export type AppPasswordsService = ReturnType<typeof createAppPasswordsService>;
