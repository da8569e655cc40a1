// Register, log in, log out, change password, export or delete the account. Each form names its
// page (showsForm), so a refusal shows it again with messages and the values typed (never
// passwords); every success redirects (Post/Redirect/Get).
import { type Request, type Response, Router } from 'express';
import { appPasswordForm, appPasswordParams } from '../app-passwords/app-passwords.schemas.js';
import type { AppPasswordsService } from '../app-passwords/app-passwords.service.js';
import { InvalidCredentials } from '../http/errors.js';
import { flash } from '../http/flash.js';
import { type FormView, renderForm, showsForm } from '../http/forms.js';
import { requireUser, safeLocalPath } from '../http/guards.js';
import { parse, parseParams } from '../http/validate.js';
import type { AccountDataService } from './account-data.service.js';
import { changePasswordForm, deleteAccountForm, loginForm, registerForm } from './accounts.schemas.js';
import type { AccountsService } from './accounts.service.js';
import type { LoginLimiter } from './login-limiter.js';
import type { Passport } from './passport.js';
import { regenerateSession, SESSION_COOKIE } from './session.js';
import type { User } from './users.repository.js';

interface Deps {
  accounts: AccountsService;
  accountData: AccountDataService;
  appPasswords: AppPasswordsService;
  passport: Passport;
  limiter: LoginLimiter;
}

const REGISTER = { view: 'accounts/register', locals: { title: 'Create an account' } };
const LOGIN = { view: 'accounts/login', locals: { title: 'Log in' } };

/** passport ≥ 0.6 regenerates the session id here, so a planted session id is worthless. */
async function logIn(req: Request, user: User): Promise<void> {
  await new Promise<void>((resolve, reject) => req.login(user, (err) => (err ? reject(err) : resolve())));
  req.session.createdAt = Date.now();
}

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

/**
 * A download named `file`, quoted as the header's common form (express's own leaves the quotes off).
 * Usernames hold no quote or backslash; one with letters beyond ASCII also gets its UTF-8 name.
 */
function attachment(file: string): string {
  const ascii = file.replace(/[^\x20-\x7e]/g, '_');
  return ascii === file ? `attachment; filename="${file}"` : `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(file)}`;
}

export function createAccountsRouter({ accounts, accountData, appPasswords, passport, limiter }: Deps): Router {
  const router = Router();
  /**
   * The account page: the password form, the app passwords for Subsonic apps (with one just made,
   * shown once), the export and the deletion; `refused` says which form a message belongs to.
   */
  const accountPage = async (req: Request, created?: { name: string; password: string }, refused?: 'delete'): Promise<FormView> => ({
    view: 'accounts/account',
    locals: { title: 'Your account', appPasswords: await appPasswords.list(req.user!.id), created, refused },
  });

  router.get('/register', (req, res) => renderForm(res, { ...REGISTER, values: { next: safeLocalPath(req.query.next) } }));

  router.post('/register', showsForm(REGISTER), async (req, res) => {
    await limiter.registration(req.ip ?? '');
    const form = parse(registerForm, req.body);
    const user = await accounts.register(form);
    await logIn(req, user);
    flash(req, 'success', `Welcome to Stereodose, ${user.username}!`);
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
    res.clearCookie(SESSION_COOKIE);
    res.redirect(303, '/');
  });

  router.get('/account', requireUser, async (req, res) => renderForm(res, await accountPage(req)));

  router.post(
    '/account/password',
    requireUser,
    showsForm((req) => accountPage(req)),
    async (req, res) => {
      const form = parse(changePasswordForm, req.body);
      const epoch = await accounts.changePassword(req.user!, form.currentPassword, form.newPassword);
      // A fresh session for this browser; every other session of this user now fails the epoch check.
      await logIn(req, { ...req.user!, sessionEpoch: epoch });
      flash(req, 'success', 'Your password was changed. Other devices have been logged out.');
      res.redirect(303, '/account');
    },
  );

  // A new app password is shown on the page that answers this post, once: it is stored sealed.
  router.post(
    '/account/app-passwords',
    requireUser,
    showsForm((req) => accountPage(req)),
    async (req, res) => {
      const { name } = parse(appPasswordForm, req.body);
      const created = await appPasswords.create(req.user!.id, name);
      res.set('Cache-Control', 'no-store');
      renderForm(res, await accountPage(req, created), { status: 201 });
    },
  );

  router.post('/account/app-passwords/:id/revoke', requireUser, async (req, res) => {
    await appPasswords.revoke(req.user!.id, parseParams(appPasswordParams, req.params, 'There is no such app password.').id);
    flash(req, 'success', 'That app password no longer works; apps using it must be given a new one.');
    res.redirect(303, '/account#app-passwords');
  });

  router.get('/account/export', requireUser, async (req, res) => {
    const data = await accountData.exportOf(req.user!.id);
    res.set('Cache-Control', 'no-store');
    res.set('Content-Disposition', attachment(`stereodose-${req.user!.username}.json`));
    res.type('json').send(`${JSON.stringify(data, null, 2)}\n`);
  });

  router.post(
    '/account/delete',
    requireUser,
    showsForm((req) => accountPage(req, undefined, 'delete')),
    async (req, res) => {
      const { password } = parse(deleteAccountForm, req.body);
      await accountData.deleteAccount(req.user!.id, password);
      // Its session row went with the account; this browser goes on with a new, anonymous one.
      await regenerateSession(req);
      flash(req, 'success', 'Your account and everything in it were deleted. Thank you for listening.');
      res.redirect(303, '/');
    },
  );

  return router;
}
