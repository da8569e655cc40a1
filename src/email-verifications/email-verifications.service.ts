// Email addresses prove themselves before they are used: a link mailed to the address (at
// registration, when it changes, or when the listener asks again) confirms it once, within a day.
// Password resets are mailed only to confirmed addresses (password-resets.service.ts).
import { AppError } from '../lib/errors.js';
import { isLinkToken, type LinkProblem, linkProblem, linkTokenHash, newLinkToken } from '../mail/link-token.js';
import type { Mailer } from '../mail/mailer.js';
import type { EmailVerificationsRepository, VerificationLink } from './email-verifications.repository.js';
import { verificationMail } from './verification-mail.js';

const LINK_LIFETIME_MS = 24 * 3_600_000;

const MESSAGES: Record<LinkProblem, string> = {
  unknown: 'This confirmation link is not valid: check that the whole link was opened, or send a new one from your account page.',
  used: 'This confirmation link was already used: each link works once.',
  expired: 'This confirmation link has expired: links work for one day. Send a new one from your account page.',
};

/** A link that confirms nothing: 400 when it names nothing, 410 when it did but no longer works. */
export class VerificationLinkUnusable extends AppError {
  constructor(reason: LinkProblem) {
    super(`verification_link_${reason}`, reason === 'unknown' ? 400 : 410, MESSAGES[reason], {
      details: { action: { href: '/account#email', label: 'Your account' } },
    });
  }
}

export interface EmailVerificationsDeps {
  verifications: EmailVerificationsRepository;
  /** Unset: no mail can be sent (no SMTP_URL). */
  mailer?: Mailer;
  /** PUBLIC_URL: links are built on it, never on a request's Host header. */
  siteUrl?: string;
  now?: () => Date;
}

export function createEmailVerificationsService({ verifications, mailer, siteUrl, now = () => new Date() }: EmailVerificationsDeps) {
  /** Why the link confirms nothing now, if it does not: a link for an address the account no longer has names nothing. */
  const problemOf = (link: VerificationLink | undefined, at: Date): LinkProblem | undefined =>
    link && link.currentEmail !== link.email ? 'unknown' : linkProblem(link, at);

  /** Mails the account's current address a link that confirms it; what happened, for the log only. */
  async function request(userId: number): Promise<'sent' | 'no_address' | 'already_verified' | 'mail_disabled'> {
    if (!mailer || !siteUrl) return 'mail_disabled';
    const address = await verifications.addressOf(userId);
    if (!address?.email) return 'no_address';
    if (address.verified) return 'already_verified';
    const token = newLinkToken();
    const createdAt = now();
    const expiresAt = new Date(createdAt.getTime() + LINK_LIFETIME_MS);
    await verifications.insert(userId, address.email, linkTokenHash(token), createdAt, expiresAt);
    await mailer.send(verificationMail(address.email, { url: `${siteUrl}/verify-email/${token}`, expiresAt }));
    return 'sent';
  }

  return {
    /** Whether links can be mailed at all (SMTP_URL and PUBLIC_URL are set). */
    mailsLinks: Boolean(mailer && siteUrl),

    request,

    /**
     * A new address for the account (or none), unconfirmed until its link is opened; the same
     * address again changes nothing. Whether a confirmation link is due.
     */
    async changeAddress(userId: number, email: string | undefined): Promise<'unchanged' | 'removed' | 'changed'> {
      const current = await verifications.addressOf(userId);
      if ((current?.email ?? undefined)?.toLowerCase() === email?.toLowerCase() && (current?.verified || !email)) return 'unchanged';
      await verifications.changeAddress(userId, email ?? null);
      return email ? 'changed' : 'removed';
    },

    /** The account and address a usable link confirms; VerificationLinkUnusable otherwise. */
    async check(token: string): Promise<{ username: string; email: string }> {
      const link = isLinkToken(token) ? await verifications.find(linkTokenHash(token)) : undefined;
      const problem = problemOf(link, now());
      if (problem) throw new VerificationLinkUnusable(problem);
      return { username: link!.username, email: link!.email };
    },

    /** Confirms the address through a usable link, which then stops working. */
    async verify(token: string): Promise<{ userId: number; email: string }> {
      if (!isLinkToken(token)) throw new VerificationLinkUnusable('unknown');
      const at = now();
      const found = await verifications.use(linkTokenHash(token), at, (link) => problemOf(link, at) === undefined);
      const problem = found ? problemOf(found, at) : 'used';
      if (problem) throw new VerificationLinkUnusable(problem);
      return { userId: found!.userId, email: found!.email };
    },
  };
}

export type EmailVerificationsService = ReturnType<typeof createEmailVerificationsService>;
