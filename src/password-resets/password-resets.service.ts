// Forgotten passwords: a link, mailed or printed by an admin, that sets a new password once within
// an hour. Only the SHA-256 of the link's token is stored; the token itself exists in the link alone.
import { createHash, randomBytes } from 'node:crypto';
import { hashPassword } from '../accounts/passwords.js';
import type { UsersRepository } from '../accounts/users.repository.js';
import { AppError } from '../http/errors.js';
import type { Mailer } from '../mail/mailer.js';
import type { PasswordResetsRepository, ResetLink } from './password-resets.repository.js';
import { resetMail } from './reset-mail.js';

const LINK_LIFETIME_MS = 3_600_000;
/** An email may belong to several accounts: each gets its own link, up to this many. */
const ACCOUNTS_PER_EMAIL = 5;
/** 32 random bytes in base64url. */
const TOKEN = /^[A-Za-z0-9_-]{43}$/;

const hashOf = (token: string) => createHash('sha256').update(token).digest('hex');
const resetPath = (token: string) => `/reset/${token}`;

type Unusable = 'unknown' | 'used' | 'expired';

const MESSAGES: Record<Unusable, string> = {
  unknown: 'This password reset link is not valid. Check that the whole link was opened, or ask for a new one.',
  used: 'This password reset link was already used: each link works once. Ask for a new one if you need it.',
  expired: 'This password reset link has expired: links work for one hour. Ask for a new one.',
};

/** A link that cannot reset anything: 400 when it names nothing, 410 when it did but no longer works. */
export class ResetLinkUnusable extends AppError {
  constructor(reason: Unusable) {
    super(`reset_link_${reason}`, reason === 'unknown' ? 400 : 410, MESSAGES[reason], {
      details: { action: { href: '/forgot', label: 'Ask for a new link' } },
    });
  }
}

export interface PasswordResetsDeps {
  users: UsersRepository;
  resets: PasswordResetsRepository;
  /** Unset: no mail can be sent (no SMTP_URL). */
  mailer?: Mailer;
  /** PUBLIC_URL: links are built on it, never on a request's Host header, which the requester chooses. */
  siteUrl?: string;
  now?: () => Date;
}

export function createPasswordResetsService({ users, resets, mailer, siteUrl, now = () => new Date() }: PasswordResetsDeps) {
  const unusable = (link: ResetLink | undefined, at: Date): Unusable | undefined => {
    if (!link) return 'unknown';
    if (link.usedAt) return 'used';
    return link.expiresAt.getTime() > at.getTime() ? undefined : 'expired';
  };

  async function issue(userId: number): Promise<{ path: string; url?: string; expiresAt: Date }> {
    const token = randomBytes(32).toString('base64url');
    const createdAt = now();
    const expiresAt = new Date(createdAt.getTime() + LINK_LIFETIME_MS);
    await resets.insert(userId, hashOf(token), createdAt, expiresAt);
    const path = resetPath(token);
    return { path, ...(siteUrl && { url: siteUrl + path }), expiresAt };
  }

  return {
    /** Mails a link to each account the username or email names; what happened, for the log only. */
    async request(identifier: string): Promise<'sent' | 'no_account' | 'no_address' | 'mail_disabled'> {
      if (!mailer || !siteUrl) return 'mail_disabled';
      const accounts = await users.findForRecovery(identifier, ACCOUNTS_PER_EMAIL);
      const reachable = accounts.filter((user) => user.email);
      for (const user of reachable) {
        const { url, expiresAt } = await issue(user.id);
        await mailer.send(resetMail(user.email!, { username: user.username, url: url!, expiresAt }));
      }
      if (accounts.length === 0) return 'no_account';
      return reachable.length > 0 ? 'sent' : 'no_address';
    },

    /** A link for this username, for an admin to hand over (npm run user:reset-link); undefined for an unknown name. */
    async linkFor(username: string) {
      const [user] = await users.findForRecovery(username, 1);
      return user && { username: user.username, ...(await issue(user.id)) };
    },

    /** The account a usable link resets; ResetLinkUnusable otherwise. */
    async check(token: string): Promise<{ username: string }> {
      const link = TOKEN.test(token) ? await resets.find(hashOf(token)) : undefined;
      const reason = unusable(link, now());
      if (reason) throw new ResetLinkUnusable(reason);
      return { username: link!.username };
    },

    /** Sets the new password through a usable link, which then stops working, and logs out every session of the account. */
    async reset(token: string, password: string): Promise<void> {
      if (!TOKEN.test(token)) throw new ResetLinkUnusable('unknown');
      const passwordHash = await hashPassword(password); // before the transaction, which it would hold for 50 ms
      const at = now();
      const found = await resets.use(hashOf(token), passwordHash, at, (link) => unusable(link, at) === undefined);
      // Gone under lock although it was there a moment ago: another link of the account was used.
      const reason = found ? unusable(found, at) : 'used';
      if (reason) throw new ResetLinkUnusable(reason);
    },
  };
}

export type PasswordResetsService = ReturnType<typeof createPasswordResetsService>;
