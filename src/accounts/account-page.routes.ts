// The account page (/account) and its forms: the password, the email address, app passwords for
// Subsonic apps, the export and the deletion. Every form that asks for the password is limited like
// the login (per account and IP, and per IP), and answers a spent limit with 429 and the page again.
import { type Request, type Response, Router } from 'express';
import { appPasswordForm, appPasswordParams } from '../app-passwords/app-passwords.schemas.js';
import type { AppPasswordsService } from '../app-passwords/app-passwords.service.js';
import type { EmailVerificationsService } from '../email-verifications/email-verifications.service.js';
import { afterResponse } from '../http/after-response.js';
import { flash } from '../http/flash.js';
import { type FormView, renderForm, showsForm } from '../http/forms.js';
import { requireUser } from '../http/guards.js';
import type { PublicUrl } from '../http/public-url.js';
import { parse, parseParams } from '../http/validate.js';
import type { ResetLimiter } from '../password-resets/reset-limiter.js';
import type { AccountDataService } from './account-data.service.js';
import { changeEmailForm, changePasswordForm, deleteAccountForm } from './accounts.schemas.js';
import { type AccountsService, provenRecently } from './accounts.service.js';
import type { LoginLimiter } from './login-limiter.js';
import { logIn, regenerateSession } from './session.js';

interface Deps {
  accounts: AccountsService;
  accountData: AccountDataService;
  appPasswords: AppPasswordsService;
  verifications: EmailVerificationsService;
  limiter: LoginLimiter;
  /** Mail per address (the reset links' limits): confirmation links count against it too. */
  mailLimiter: ResetLimiter;
  /** This site's address (PUBLIC_URL, or the request's origin), which a listener types into an app. */
  publicUrl: PublicUrl;
}

/** Which of the page's forms a refusal belongs to (its message and field errors show there). */
type AccountForm = 'password' | 'email' | 'app-password' | 'delete';

/**
 * A download named `file`, quoted as the header's common form (express's own leaves the quotes off).
 * Usernames hold no quote or backslash; one with letters beyond ASCII also gets its UTF-8 name.
 */
function attachment(file: string): string {
  const ascii = file.replace(/[^\x20-\x7e]/g, '_');
  return ascii === file ? `attachment; filename="${file}"` : `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(file)}`;
}

export function createAccountPageRouter({ accounts, accountData, appPasswords, verifications, limiter, mailLimiter, publicUrl }: Deps): Router {
  const router = Router();
  /** The address apps are given (they add /rest themselves); none when the request's Host is unusable. */
  const serverAddress = (req: Request) => {
    try {
      return publicUrl(req, '');
    } catch {
      return undefined;
    }
  };
  /** The page, with an app password just made (shown once) and the form a refusal belongs to. */
  const accountPage =
    (refused: AccountForm, created?: { name: string; password: string }) =>
    async (req: Request): Promise<FormView> => ({
      view: 'accounts/account',
      locals: {
        title: 'Your account',
        appPasswords: await appPasswords.list(req.user!.id),
        created,
        refused,
        passwordNeeded: !provenRecently(req.session.passwordProvenAt),
        serverAddress: serverAddress(req),
        mailsLinks: verifications.mailsLinks,
      },
    });

  /** A password check: counted like a login attempt, forgiven when the password was right. */
  async function checkPassword(req: Request, check: () => Promise<unknown>): Promise<void> {
    const { username } = req.user!;
    await limiter.attempt(username, req.ip ?? '');
    await check();
    await limiter.succeeded(username, req.ip ?? '');
    req.session.passwordProvenAt = Date.now();
  }

  /** Mails the account's address a confirmation link once the answer has gone. */
  const mailConfirmation = (req: Request, res: Response) =>
    afterResponse(req, res, { field: 'emailVerification', message: 'email confirmation requested' }, () => verifications.request(req.user!.id));

  router.get('/account', requireUser, async (req, res) => renderForm(res, await accountPage('password')(req)));

  router.post('/account/password', requireUser, showsForm(accountPage('password')), async (req, res) => {
    const form = parse(changePasswordForm, req.body);
    let epoch = 0;
    await checkPassword(req, async () => {
      epoch = await accounts.changePassword(req.user!, form.currentPassword, form.newPassword);
    });
    // A fresh session for this browser; every other session of this user now fails the epoch check.
    await logIn(req, { ...req.user!, sessionEpoch: epoch });
    flash(req, 'success', 'Your password was changed. Other devices have been logged out, and your app passwords revoked.');
    res.redirect(303, '/account');
  });

  router.post('/account/email', requireUser, showsForm(accountPage('email')), async (req, res) => {
    const form = parse(changeEmailForm, req.body);
    await checkPassword(req, () => accounts.confirmPassword(req.user!.id, form.emailPassword, 'emailPassword'));
    if (form.email && verifications.mailsLinks) await mailLimiter.attempt(form.email, req.ip ?? '');
    const change = await verifications.changeAddress(req.user!.id, form.email);
    if (change === 'changed' && verifications.mailsLinks) mailConfirmation(req, res);
    const done = {
      unchanged: 'That is already your email address.',
      removed: 'Your email address was removed: no password reset can be mailed to you now.',
      changed: verifications.mailsLinks
        ? `We sent a link to ${form.email}: open it to confirm the address. Until then, nothing is mailed to it.`
        : `Your email address is now ${form.email}, unconfirmed: this site sends no mail.`,
    };
    flash(req, 'success', done[change]);
    res.redirect(303, '/account#email');
  });

  router.post('/account/email/confirm', requireUser, showsForm(accountPage('email')), async (req, res) => {
    const { email, emailVerified } = req.user!;
    if (email && !emailVerified && verifications.mailsLinks) {
      await mailLimiter.attempt(email, req.ip ?? '');
      mailConfirmation(req, res);
      flash(req, 'success', `We sent a new link to ${email}.`);
    }
    res.redirect(303, '/account#email');
  });

  // A new app password is shown on the page that answers this post, once: it is stored sealed.
  router.post('/account/app-passwords', requireUser, showsForm(accountPage('app-password')), async (req, res) => {
    const { name, accountPassword } = parse(appPasswordForm, req.body);
    // A stolen session alone cannot mint a lasting credential: a login within minutes, or the password.
    if (!provenRecently(req.session.passwordProvenAt)) {
      await checkPassword(req, () => accounts.reauthenticate(req.user!.id, accountPassword, req.session.passwordProvenAt, 'accountPassword'));
    }
    const created = await appPasswords.create(req.user!.id, name);
    renderForm(res, await accountPage('app-password', created)(req), { status: 201 });
  });

  router.post('/account/app-passwords/:id/revoke', requireUser, async (req, res) => {
    await appPasswords.revoke(req.user!.id, parseParams(appPasswordParams, req.params, 'There is no such app password.').id);
    flash(req, 'success', 'That app password no longer works; apps using it must be given a new one.');
    res.redirect(303, '/account#app-passwords');
  });

  router.get('/account/export', requireUser, async (req, res) => {
    const data = await accountData.exportOf(req.user!.id);
    res.set('Content-Disposition', attachment(`stereodose-${req.user!.username}.json`));
    res.type('json').send(`${JSON.stringify(data, null, 2)}\n`);
  });

  router.post('/account/delete', requireUser, showsForm(accountPage('delete')), async (req, res) => {
    const { password } = parse(deleteAccountForm, req.body);
    await checkPassword(req, () => accountData.deleteAccount(req.user!.id, password));
    // Its session row went with the account; this browser goes on with a new, anonymous one.
    await regenerateSession(req);
    flash(req, 'success', 'Your account and everything in it were deleted. Thank you for listening.');
    res.redirect(303, '/');
  });

  return router;
}
