// Register, log in, log out. Each form names its page (showsForm), so a refusal shows it again with
// messages and the values typed (never passwords); every success redirects (Post/Redirect/Get).
// The account page's own forms are in account-page.routes.ts.
import { type Request, type Response, Router } from 'express';
import type { Config } from '../config.js';
import type { EmailVerificationsService } from '../email-verifications/email-verifications.service.js';
import { afterResponse } from '../http/after-response.js';
import { InvalidCredentials } from '../lib/errors.js';
import { flash } from '../http/flash.js';
import { renderForm, showsForm } from '../http/forms.js';
import { safeLocalPath } from '../http/guards.js';
import { parse } from '../http/validate.js';
import type { ResetLimiter } from '../password-resets/reset-limiter.js';
import { loginForm, registerForm } from './accounts.schemas.js';
import type { AccountsService } from './accounts.service.js';
import type { LoginLimiter } from './login-limiter.js';
import type { Passport } from './passport.js';
import { clearSessionCookie, logIn } from './session.js';
import type { User } from './users.repository.js';

interface Deps {
  accounts: AccountsService;
  verifications: EmailVerificationsService;
  passport: Passport;
  limiter: LoginLimiter;
  /** Mail per address (the reset links' limits): a confirmation link counts against it too. */
  mailLimiter: ResetLimiter;
  config: Pick<Config, 'publicUrl'>;
}

const REGISTER = { view: 'accounts/register', locals: { title: 'Create an account' } };
const LOGIN = { view: 'accounts/login', locals: { title: 'Log in' } };

/** The user these credentials name, or InvalidCredentials (the same for an unknown name). */
function authenticate(passport: Passport, req: Request, res: Response): Promise<User> {
  return new Promise((resolve, reject) => {
    passport.authenticate('local', (err: unknown, user: User | false) => {
      if (err) reject(err);
      else if (!user) reject(new InvalidCredentials());
      else resolve(user);
    })(req, res, reject);
  });
}

export function createAccountsRouter({ accounts, verifications, passport, limiter, mailLimiter, config }: Deps): Router {
  const router = Router();

  router.get('/register', (req, res) => renderForm(res, { ...REGISTER, values: { next: safeLocalPath(req.query.next) } }));

  router.post('/register', showsForm(REGISTER), async (req, res) => {
    await limiter.registration(req.ip ?? '');
    const form = parse(registerForm, req.body);
    // The address is used for nothing until the link mailed to it is opened.
    const confirming = Boolean(form.email) && verifications.mailsLinks;
    if (confirming) await mailLimiter.attempt(form.email!, req.ip ?? '');
    const user = await accounts.register(form);
    await logIn(req, user);
    if (confirming) afterResponse(req, res, { field: 'emailVerification', message: 'email confirmation requested' }, () => verifications.request(user.id));
    flash(req, 'success', `Welcome to Stereodose, ${user.username}!${confirming ? ` We sent a link to ${user.email}: open it to confirm the address.` : ''}`);
    res.redirect(303, safeLocalPath(req.body.next) ?? '/');
  });

  router.get('/login', (req, res) => renderForm(res, { ...LOGIN, values: { next: safeLocalPath(req.query.next) } }));

  router.post('/login', showsForm(LOGIN), async (req, res) => {
    const form = parse(loginForm, req.body);
    await limiter.attempt(form.username, req.ip ?? '');
    const user = await authenticate(passport, req, res);
    await limiter.succeeded(form.username, req.ip ?? '');
    await logIn(req, user);
    res.redirect(303, safeLocalPath(req.body.next) ?? '/');
  });

  router.post('/logout', async (req, res) => {
    await new Promise<void>((resolve, reject) => req.logout((err) => (err ? reject(err) : resolve())));
    await new Promise<void>((resolve) => req.session.destroy(() => resolve()));
    clearSessionCookie(config, req, res);
    res.redirect(303, '/');
  });

  return router;
}
