// Forgotten passwords: a link, mailed or printed by an admin, that sets a new password once within
// an hour. Only the SHA-256 of the link's token is stored; the token itself exists in the link alone.
// Mail goes only to a confirmed address (email-verifications/), and one request sends one mail.
import { hashPassword } from '../accounts/passwords.js';
import type { UsersRepository } from '../accounts/users.repository.js';
import { AppError } from '../lib/errors.js';
import { isLinkToken, type LinkProblem, linkProblem, linkTokenHash, newLinkToken } from '../mail/link-token.js';
import type { Mailer } from '../mail/mailer.js';
import type { PasswordResetsRepository } from './password-resets.repository.js';
import { resetMail } from './reset-mail.js';

const LINK_LIFETIME_MS = 3_600_000;
/** An email may belong to several accounts: its one mail holds a link for each, up to this many. */
const ACCOUNTS_PER_EMAIL = 5;

const resetPath = (token: string) => `/reset/${token}`;

const MESSAGES: Record<LinkProblem, string> = {
  unknown: 'This password reset link is not valid. Check that the whole link was opened, or ask for a new one.',
  used: 'This password reset link was already used: each link works once. Ask for a new one if you need it.',
  expired: 'This password reset link has expired: links work for one hour. Ask for a new one.',
};

/** A link that cannot reset anything: 400 when it names nothing, 410 when it did but no longer works. */
export class ResetLinkUnusable extends AppError {
  constructor(reason: LinkProblem) {
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
  async function issue(userId: number): Promise<{ path: string; url?: string; expiresAt: Date }> {
    const token = newLinkToken();
    const createdAt = now();
    const expiresAt = new Date(createdAt.getTime() + LINK_LIFETIME_MS);
    await resets.insert(userId, linkTokenHash(token), createdAt, expiresAt);
    const path = resetPath(token);
    return { path, ...(siteUrl && { url: siteUrl + path }), expiresAt };
  }

  return {
    /** Whether this server can mail a link at all (an SMTP server and PUBLIC_URL are set). */
    canMail: Boolean(mailer && siteUrl),

    /**
     * Mails one link per account the username or email names, all in one mail to their confirmed
     * address (an unconfirmed one gets nothing); what happened, for the log only.
     */
    async request(identifier: string): Promise<'sent' | 'no_account' | 'no_confirmed_address' | 'mail_disabled'> {
      if (!mailer || !siteUrl) return 'mail_disabled';
      const accounts = await users.findForRecovery(identifier, ACCOUNTS_PER_EMAIL);
      const reachable = accounts.filter((user) => user.email && user.emailVerified);
      if (reachable.length === 0) return accounts.length === 0 ? 'no_account' : 'no_confirmed_address';
      const links: { username: string; url: string }[] = [];
      let expiresAt = now();
      for (const user of reachable) {
        const link = await issue(user.id);
        links.push({ username: user.username, url: link.url! });
        expiresAt = link.expiresAt;
      }
      // By username: one account. By email: every account shares the address, as typed by the first.
      await mailer.send(resetMail(reachable[0]!.email!, { links, expiresAt }));
      return 'sent';
    },

    /** A link for this username, for an admin to hand over (npm run user:reset-link); undefined for an unknown name. */
    async linkFor(username: string) {
      const [user] = await users.findForRecovery(username, 1);
      return user && { username: user.username, ...(await issue(user.id)) };
    },

    /** The account a usable link resets; ResetLinkUnusable otherwise. */
    async check(token: string): Promise<{ username: string }> {
      const link = isLinkToken(token) ? await resets.find(linkTokenHash(token)) : undefined;
      const reason = linkProblem(link, now());
      if (reason) throw new ResetLinkUnusable(reason);
      return { username: link!.username };
    },

    /**
     * Sets the new password through a usable link, which then stops working; every session of the
     * account is logged out and every app password revoked.
     */
    async reset(token: string, password: string): Promise<void> {
      if (!isLinkToken(token)) throw new ResetLinkUnusable('unknown');
      const passwordHash = await hashPassword(password); // before the transaction, which it would hold for 50 ms
      const at = now();
      const found = await resets.use(linkTokenHash(token), passwordHash, at, (link) => linkProblem(link, at) === undefined);
      // Gone under lock although it was there a moment ago: another link of the account was used.
      const reason = found ? linkProblem(found, at) : 'used';
      if (reason) throw new ResetLinkUnusable(reason);
    },
  };
}

export type PasswordResetsService = ReturnType<typeof createPasswordResetsService>;
